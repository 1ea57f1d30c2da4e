// RobustaSoftmaxCrossEntropyGrad: dlogits = dy (softmax - onehot) / count on counted rows, 0 on ignored rows.
import { RobustaSoftmaxCrossEntropyGrad, type SoftmaxCrossEntropyAttrs } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32 } from './fused.js';

export const robustaSoftmaxCrossEntropyGradConfig: KernelConfig = {
  kernelName: RobustaSoftmaxCrossEntropyGrad,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { dy, logits, labels } = inputs as { dy: TensorInfo; logits: TensorInfo; labels: TensorInfo };
    requireFloat32(RobustaSoftmaxCrossEntropyGrad, { dy, logits });
    const [N, V] = logits.shape as [number, number];
    const dlogits = b.makeTensorInfo(logits.shape, 'float32');
    const { ignoreIndex } = attrs as unknown as SoftmaxCrossEntropyAttrs;
    try {
      native.fusedSoftmaxCrossEntropyGrad(
        b.storage(dy),
        b.storage(logits),
        b.storage(labels),
        b.storage(dlogits),
        N,
        V,
        ignoreIndex,
      );
    } catch (e) {
      b.disposeIntermediateTensorInfo(dlogits);
      throw e;
    }
    return dlogits;
  },
};
