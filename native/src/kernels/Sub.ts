// Sub: elementwise Sub of a and b, with broadcasting.
import { type KernelConfig, Sub } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const subConfig: KernelConfig = {
  kernelName: Sub,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Sub),
};
