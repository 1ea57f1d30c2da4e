// Equal: elementwise Equal of a and b, with broadcasting.
import { Equal, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const equalConfig: KernelConfig = {
  kernelName: Equal,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Equal),
};
