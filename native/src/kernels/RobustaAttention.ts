// RobustaAttention: fused softmax(q kᵀ / sqrt(D) + mask) -> seeded dropout -> · v (q [B, A, Tq, D], k, v [B, A, Tk, D]).
import { type AttentionAttrs, RobustaAttention } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { attentionArgs, requireFloat32 } from './fused.js';

export const robustaAttentionConfig: KernelConfig = {
  kernelName: RobustaAttention,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { q, k, v, mask } = inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo; mask: TensorInfo };
    requireFloat32(RobustaAttention, { q, k, v, mask });
    const out = b.makeTensorInfo(q.shape, 'float32');
    const args = attentionArgs(q, k, mask, attrs as unknown as AttentionAttrs);
    native.fusedAttention(b.storage(q), b.storage(k), b.storage(v), b.storage(mask), b.storage(out), ...args);
    return out;
  },
};
