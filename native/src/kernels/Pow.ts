// Pow: elementwise Pow of a and b, with broadcasting.
import { type KernelConfig, Pow } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const powConfig: KernelConfig = {
  kernelName: Pow,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Pow),
};
