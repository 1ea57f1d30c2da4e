// Abs: elementwise abs of x.
import { Abs, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const absConfig: KernelConfig = {
  kernelName: Abs,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Abs),
};
