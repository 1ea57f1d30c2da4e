// Less: elementwise Less of a and b, with broadcasting.
import { type KernelConfig, Less } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const lessConfig: KernelConfig = {
  kernelName: Less,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Less),
};
