// Cosh: elementwise cosh of x.
import { Cosh, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const coshConfig: KernelConfig = {
  kernelName: Cosh,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Cosh, { floatInput: true }),
};
