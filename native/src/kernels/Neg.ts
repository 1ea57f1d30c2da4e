// Neg: elementwise neg of x.
import { type KernelConfig, Neg } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const negConfig: KernelConfig = {
  kernelName: Neg,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Neg),
};
