// Maximum: elementwise Maximum of a and b, with broadcasting.
import { Maximum, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const maximumConfig: KernelConfig = {
  kernelName: Maximum,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Maximum),
};
