// All: logical AND over attrs.axis (bool).
import { All, type KernelConfig } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const allConfig: KernelConfig = {
  kernelName: All,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.All, 'All'),
};
