// LogicalNot: elementwise logicalnot of x.
import { LogicalNot, type KernelConfig } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const logicalNotConfig: KernelConfig = {
  kernelName: LogicalNot,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.LogicalNot),
};
