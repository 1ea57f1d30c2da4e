// Expm1: elementwise expm1 of x.
import { Expm1, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const expm1Config: KernelConfig = {
  kernelName: Expm1,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Expm1, { floatInput: true }),
};
