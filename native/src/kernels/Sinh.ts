// Sinh: elementwise sinh of x.
import { type KernelConfig, Sinh } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sinhConfig: KernelConfig = {
  kernelName: Sinh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sinh, { floatInput: true }),
};
