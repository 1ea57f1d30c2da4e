// Atan: elementwise atan of x.
import { Atan, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const atanConfig: KernelConfig = {
  kernelName: Atan,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Atan, { floatInput: true }),
};
