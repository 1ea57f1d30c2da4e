// Ceil: elementwise ceil of x.
import { Ceil, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const ceilConfig: KernelConfig = {
  kernelName: Ceil,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Ceil),
};
