// Pow: elementwise Pow of a and b, with broadcasting.
import { Pow, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const powConfig: KernelConfig = {
  kernelName: Pow,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Pow),
};
