// Asinh: elementwise asinh of x.
import { Asinh, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const asinhConfig: KernelConfig = {
  kernelName: Asinh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Asinh, { floatInput: true }),
};
