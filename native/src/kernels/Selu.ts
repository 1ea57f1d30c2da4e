// Selu: elementwise selu of x.
import { Selu, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const seluConfig: KernelConfig = {
  kernelName: Selu,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Selu, { floatInput: true }),
};
