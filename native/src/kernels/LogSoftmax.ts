// LogSoftmax: log-softmax along the last axis (attrs.axis); tfjs-core composes tf.logSoftmax itself, this serves direct kernel calls.
import { type KernelConfig, LogSoftmax } from '@tensorflow/tfjs-core';
import { softmaxKernelFunc } from './reduce.js';

export const logSoftmaxConfig: KernelConfig = {
  kernelName: LogSoftmax,
  backendName: 'robusta',
  kernelFunc: softmaxKernelFunc(true),
};
