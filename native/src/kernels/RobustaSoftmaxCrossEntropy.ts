// RobustaSoftmaxCrossEntropy: mean cross-entropy of logits [N, V] against int32 labels [N], skipping the ignore index.
import { RobustaSoftmaxCrossEntropy, type SoftmaxCrossEntropyAttrs } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32 } from './fused.js';

export const robustaSoftmaxCrossEntropyConfig: KernelConfig = {
  kernelName: RobustaSoftmaxCrossEntropy,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
    requireFloat32(RobustaSoftmaxCrossEntropy, { logits });
    if (labels.dtype !== 'int32')
      throw new Error(`${RobustaSoftmaxCrossEntropy}: labels must be int32, got ${labels.dtype}`);
    const [N, V] = logits.shape as [number, number];
    const out = b.makeTensorInfo([], 'float32');
    const { ignoreIndex } = attrs as unknown as SoftmaxCrossEntropyAttrs;
    try {
      native.fusedSoftmaxCrossEntropy(b.storage(logits), b.storage(labels), b.storage(out), N, V, ignoreIndex);
    } catch (e) {
      b.disposeIntermediateTensorInfo(out); // a bad label: do not leak the output
      throw e;
    }
    return out;
  },
};
