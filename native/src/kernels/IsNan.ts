// IsNan: elementwise isnan of x.
import { IsNan, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const isNanConfig: KernelConfig = {
  kernelName: IsNan,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.IsNan),
};
