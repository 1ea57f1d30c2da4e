// RealDiv: elementwise RealDiv of a and b, with broadcasting.
import { type KernelConfig, RealDiv } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const realDivConfig: KernelConfig = {
  kernelName: RealDiv,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.RealDiv),
};
