// Reciprocal: elementwise reciprocal of x.
import { type KernelConfig, Reciprocal } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const reciprocalConfig: KernelConfig = {
  kernelName: Reciprocal,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Reciprocal, { floatInput: true }),
};
