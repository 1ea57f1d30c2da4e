// Selu: elementwise selu of x.
import { type KernelConfig, Selu } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const seluConfig: KernelConfig = {
  kernelName: Selu,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Selu, { floatInput: true }),
};
