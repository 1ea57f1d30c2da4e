// Neg: elementwise neg of x.
import { Neg, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const negConfig: KernelConfig = {
  kernelName: Neg,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Neg),
};
