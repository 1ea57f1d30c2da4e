// Step: elementwise step of x.
import { type KernelConfig, Step } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const stepConfig: KernelConfig = {
  kernelName: Step,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Step),
};
