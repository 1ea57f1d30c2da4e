// Sqrt: elementwise sqrt of x.
import { type KernelConfig, Sqrt } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const sqrtConfig: KernelConfig = {
  kernelName: Sqrt,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sqrt, { floatInput: true }),
};
