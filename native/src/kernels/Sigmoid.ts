// Sigmoid: elementwise sigmoid of x.
import { type KernelConfig, Sigmoid } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sigmoidConfig: KernelConfig = {
  kernelName: Sigmoid,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sigmoid, { floatInput: true }),
};
