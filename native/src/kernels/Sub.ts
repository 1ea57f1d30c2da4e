// Sub: elementwise Sub of a and b, with broadcasting.
import { Sub, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const subConfig: KernelConfig = {
  kernelName: Sub,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Sub),
};
