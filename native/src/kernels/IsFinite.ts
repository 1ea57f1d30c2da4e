// IsFinite: elementwise isfinite of x.
import { IsFinite, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const isFiniteConfig: KernelConfig = {
  kernelName: IsFinite,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.IsFinite),
};
