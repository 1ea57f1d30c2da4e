// Sign: elementwise sign of x.
import { type KernelConfig, Sign } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const signConfig: KernelConfig = {
  kernelName: Sign,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sign),
};
