// Acosh: elementwise acosh of x.
import { Acosh, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const acoshConfig: KernelConfig = {
  kernelName: Acosh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Acosh, { floatInput: true }),
};
