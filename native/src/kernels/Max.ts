// Max: maximum over attrs.reductionIndices; NaN propagates.
import { type KernelConfig, Max } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const maxConfig: KernelConfig = {
  kernelName: Max,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Max, 'Max', 'reductionIndices'),
};
