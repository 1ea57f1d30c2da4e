// Sum: sum over attrs.axis (bool and int32 give int32, accumulated in double as on the cpu backend).
import { type KernelConfig, Sum } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Sum, 'Sum'),
};
