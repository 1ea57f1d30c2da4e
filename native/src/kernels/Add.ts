// Add: elementwise Add of a and b, with broadcasting.
import { Add, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const addConfig: KernelConfig = {
  kernelName: Add,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Add),
};
