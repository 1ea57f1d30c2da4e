// Prod: product over attrs.axis (bool and int32 give int32).
import { type KernelConfig, Prod } from '@tensorflow/tfjs-core';
import { ReduceOp, reduceKernelFunc } from './reduce.js';

export const prodConfig: KernelConfig = {
  kernelName: Prod,
  backendName: 'robusta',
  kernelFunc: reduceKernelFunc(ReduceOp.Prod, 'Prod'),
};
