// Tanh: elementwise tanh of x.
import { type KernelConfig, Tanh } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const tanhConfig: KernelConfig = {
  kernelName: Tanh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Tanh, { floatInput: true }),
};
