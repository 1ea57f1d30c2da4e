// Relu: elementwise relu of x.
import { Relu, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Relu),
};
