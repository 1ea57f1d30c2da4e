// Multiply: elementwise Multiply of a and b, with broadcasting.
import { type KernelConfig, Multiply } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const multiplyConfig: KernelConfig = {
  kernelName: Multiply,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Mul),
};
