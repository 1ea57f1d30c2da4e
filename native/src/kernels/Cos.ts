// Cos: elementwise cos of x.
import { Cos, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const cosConfig: KernelConfig = {
  kernelName: Cos,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Cos, { floatInput: true }),
};
