// Minimum: elementwise Minimum of a and b, with broadcasting.
import { type KernelConfig, Minimum } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const minimumConfig: KernelConfig = {
  kernelName: Minimum,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Minimum),
};
