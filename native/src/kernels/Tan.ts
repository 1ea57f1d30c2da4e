// Tan: elementwise tan of x.
import { type KernelConfig, Tan } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const tanConfig: KernelConfig = {
  kernelName: Tan,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Tan, { floatInput: true }),
};
