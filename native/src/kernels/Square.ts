// Square: elementwise square of x.
import { type KernelConfig, Square } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const squareConfig: KernelConfig = {
  kernelName: Square,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Square),
};
