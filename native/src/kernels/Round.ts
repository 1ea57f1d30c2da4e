// Round: elementwise round of x.
import { type KernelConfig, Round } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const roundConfig: KernelConfig = {
  kernelName: Round,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Round),
};
