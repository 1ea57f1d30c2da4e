// SquaredDifference: elementwise SquaredDifference of a and b, with broadcasting.
import { type KernelConfig, SquaredDifference } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const squaredDifferenceConfig: KernelConfig = {
  kernelName: SquaredDifference,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.SquaredDifference),
};
