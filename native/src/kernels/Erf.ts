// Erf: elementwise erf of x.
import { Erf, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const erfConfig: KernelConfig = {
  kernelName: Erf,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Erf, { floatInput: true }),
};
