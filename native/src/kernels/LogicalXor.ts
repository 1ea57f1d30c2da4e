// LogicalXor: elementwise LogicalXor of a and b, with broadcasting.
import { type KernelConfig, LogicalXor } from '@tensorflow/tfjs-core';
import { BinaryOp, binaryKernelFunc } from './elementwise.js';

export const logicalXorConfig: KernelConfig = {
  kernelName: LogicalXor,
  backendName: 'robusta',
  kernelFunc: binaryKernelFunc(BinaryOp.LogicalXor),
};
