// LogicalAnd: elementwise LogicalAnd of a and b, with broadcasting.
import { type KernelConfig, LogicalAnd } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const logicalAndConfig: KernelConfig = {
  kernelName: LogicalAnd,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LogicalAnd),
};
