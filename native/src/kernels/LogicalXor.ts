// LogicalXor: elementwise LogicalXor of a and b, with broadcasting.
import { LogicalXor, type KernelConfig } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const logicalXorConfig: KernelConfig = {
  kernelName: LogicalXor,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LogicalXor),
};
