// Sigmoid: elementwise sigmoid of x.
import { Sigmoid, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sigmoidConfig: KernelConfig = {
  kernelName: Sigmoid,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sigmoid, { floatInput: true }),
};
