// Log1p: elementwise log1p of x.
import { type KernelConfig, Log1p } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const log1pConfig: KernelConfig = {
  kernelName: Log1p,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Log1p, { floatInput: true }),
};
