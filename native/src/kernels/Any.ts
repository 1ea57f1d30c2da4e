// Any: logical OR over attrs.axis (bool).
import { Any, type KernelConfig } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const anyConfig: KernelConfig = {
  kernelName: Any,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Any, 'Any'),
};
