// Round: elementwise round of x.
import { Round, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const roundConfig: KernelConfig = {
  kernelName: Round,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Round),
};
