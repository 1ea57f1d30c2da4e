// LessEqual: elementwise LessEqual of a and b, with broadcasting.
import { type KernelConfig, LessEqual } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const lessEqualConfig: KernelConfig = {
  kernelName: LessEqual,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LessEqual),
};
