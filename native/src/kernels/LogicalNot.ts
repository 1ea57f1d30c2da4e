// LogicalNot: elementwise logicalnot of x.
import { type KernelConfig, LogicalNot } from '@tensorflow/tfjs-core';
import { UnaryOp, unaryKernelFunc } from './elementwise.js';

export const logicalNotConfig: KernelConfig = {
  kernelName: LogicalNot,
  backendName: 'robusta',
  kernelFunc: unaryKernelFunc(UnaryOp.LogicalNot),
};
