// ArgMin: int32 index of the first minimum along attrs.axis.
import { ArgMin, type KernelConfig } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const argMinConfig: KernelConfig = {
  kernelName: ArgMin,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.ArgMin, 'ArgMin'),
};
