// Relu: elementwise relu of x.
import { type KernelConfig, Relu } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Relu),
};
