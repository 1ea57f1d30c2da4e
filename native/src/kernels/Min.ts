// Min: minimum over attrs.axis; NaN propagates.
import { type KernelConfig, Min } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const minConfig: KernelConfig = {
  kernelName: Min,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Min, 'Min'),
};
