// Softplus: elementwise softplus of x.
import { type KernelConfig, Softplus } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const softplusConfig: KernelConfig = {
  kernelName: Softplus,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Softplus, { floatInput: true }),
};
