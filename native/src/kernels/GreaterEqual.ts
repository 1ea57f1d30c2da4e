// GreaterEqual: elementwise GreaterEqual of a and b, with broadcasting.
import { GreaterEqual, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const greaterEqualConfig: KernelConfig = {
  kernelName: GreaterEqual,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.GreaterEqual),
};
