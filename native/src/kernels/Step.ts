// Step: elementwise step of x.
import { Step, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const stepConfig: KernelConfig = {
  kernelName: Step,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.Step),
};
