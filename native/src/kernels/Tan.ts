// Tan: elementwise tan of x.
import { Tan, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const tanConfig: KernelConfig = {
  kernelName: Tan,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Tan, { floatInput: true }),
};
