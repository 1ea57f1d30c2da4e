// Atan2: elementwise Atan2 of a and b, with broadcasting.
import { Atan2, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const atan2Config: KernelConfig = {
  kernelName: Atan2,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Atan2),
};
