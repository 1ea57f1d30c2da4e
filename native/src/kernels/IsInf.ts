// IsInf: elementwise isinf of x.
import { IsInf, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const isInfConfig: KernelConfig = {
  kernelName: IsInf,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.IsInf),
};
