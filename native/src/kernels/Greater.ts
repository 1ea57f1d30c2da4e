// Greater: elementwise Greater of a and b, with broadcasting.
import { Greater, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const greaterConfig: KernelConfig = {
  kernelName: Greater,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.Greater),
};
