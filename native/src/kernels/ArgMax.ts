// ArgMax: int32 index of the first maximum along attrs.axis.
import { ArgMax, type KernelConfig } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const argMaxConfig: KernelConfig = {
  kernelName: ArgMax,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.ArgMax, 'ArgMax'),
};
