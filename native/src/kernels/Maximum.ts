// Maximum: elementwise Maximum of a and b, with broadcasting.
import { type KernelConfig, Maximum } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const maximumConfig: KernelConfig = {
  kernelName: Maximum,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Maximum),
};
