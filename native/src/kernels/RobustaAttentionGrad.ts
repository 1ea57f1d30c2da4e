// RobustaAttentionGrad: dq, dk, dv of RobustaAttention from dy; probabilities and the dropout mask are recomputed.
import { type AttentionAttrs, RobustaAttentionGrad } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { attentionArgs, requireFloat32 } from './fused.js';

export const robustaAttentionGradConfig: KernelConfig = {
  kernelName: RobustaAttentionGrad,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { dy, q, k, v, mask } = inputs as Record<'dy' | 'q' | 'k' | 'v' | 'mask', TensorInfo>;
    requireFloat32(RobustaAttentionGrad, { dy, q, k, v, mask });
    const dq = b.makeTensorInfo(q.shape, 'float32');
    const dk = b.makeTensorInfo(k.shape, 'float32');
    const dv = b.makeTensorInfo(v.shape, 'float32');
    const args = attentionArgs(q, k, mask, attrs as unknown as AttentionAttrs);
    native.fusedAttentionGrad(
      b.storage(dy),
      b.storage(q),
      b.storage(k),
      b.storage(v),
      b.storage(mask),
      b.storage(dq),
      b.storage(dk),
      b.storage(dv),
      ...args,
    );
    return [dq, dk, dv];
  },
};
