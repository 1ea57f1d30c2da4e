// Mean: float32 mean over attrs.axis (each element divided by the count first, as on the cpu backend).
import { type KernelConfig, Mean } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Mean, 'Mean'),
};
