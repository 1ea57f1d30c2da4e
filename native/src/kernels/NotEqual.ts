// NotEqual: elementwise NotEqual of a and b, with broadcasting.
import { type KernelConfig, NotEqual } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const notEqualConfig: KernelConfig = {
  kernelName: NotEqual,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.NotEqual),
};
