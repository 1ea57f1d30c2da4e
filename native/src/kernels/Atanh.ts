// Atanh: elementwise atanh of x.
import { Atanh, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const atanhConfig: KernelConfig = {
  kernelName: Atanh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Atanh, { floatInput: true }),
};
