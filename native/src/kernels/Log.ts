// Log: elementwise log of x.
import { type KernelConfig, Log } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const logConfig: KernelConfig = {
  kernelName: Log,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Log, { floatInput: true }),
};
