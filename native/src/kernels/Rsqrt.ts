// Rsqrt: elementwise rsqrt of x.
import { type KernelConfig, Rsqrt } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const rsqrtConfig: KernelConfig = {
  kernelName: Rsqrt,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Rsqrt, { floatInput: true }),
};
