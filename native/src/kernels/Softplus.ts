// Softplus: elementwise softplus of x.
import { Softplus, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const softplusConfig: KernelConfig = {
  kernelName: Softplus,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Softplus, { floatInput: true }),
};
