// Sign: elementwise sign of x.
import { Sign, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const signConfig: KernelConfig = {
  kernelName: Sign,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Sign),
};
