// Shared pieces of the fused kernels (names and attributes are defined by @robusta/tfjs's fused ops): the addon's
// fused functions, and argument helpers.
import { type AttentionAttrs, RobustaAttention } from '@robusta/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Storage } from '../addon.js';

declare module '../addon.js' {
  interface NativeAddon {
    fusedLayerNorm(x: Storage, gamma: Storage, beta: Storage, y: Storage, rows: number, H: number, eps: number): void;
    fusedLayerNormGrad(
      dy: Storage,
      x: Storage,
      gamma: Storage,
      dx: Storage,
      dgamma: Storage,
      dbeta: Storage,
      rows: number,
      H: number,
      eps: number,
    ): void;
    fusedBiasGelu(x: Storage, bias: Storage, y: Storage, rows: number, F: number): void;
    fusedBiasGeluGrad(
      dy: Storage,
      x: Storage,
      bias: Storage,
      dx: Storage,
      dbias: Storage,
      rows: number,
      F: number,
    ): void;
    fusedAttention(q: Storage, k: Storage, v: Storage, mask: Storage, out: Storage, ...rest: AttentionArgs): void;
    fusedAttentionGrad(
      dy: Storage,
      q: Storage,
      k: Storage,
      v: Storage,
      mask: Storage,
      dq: Storage,
      dk: Storage,
      dv: Storage,
      ...rest: AttentionArgs
    ): void;
    fusedSoftmaxCrossEntropy(
      logits: Storage,
      labels: Storage,
      out: Storage,
      N: number,
      V: number,
      ignore: number,
    ): void;
    fusedSoftmaxCrossEntropyGrad(
      dy: Storage,
      logits: Storage,
      labels: Storage,
      dlogits: Storage,
      N: number,
      V: number,
      ignore: number,
    ): void;
    fusedAdamW(
      param: Storage,
      grad: Storage,
      m: Storage,
      v: Storage,
      paramOut: Storage,
      mOut: Storage,
      vOut: Storage,
      n: number,
      lr: number,
      beta1: number,
      beta2: number,
      eps: number,
      weightDecay: number,
      biasCorrection1: number,
      biasCorrection2: number,
    ): void;
  }
}

/** B, A, Tq, Tk, D, mask shape, dropout threshold, dropout scale, seed low and high 32 bits. */
export type AttentionArgs = [
  B: number,
  A: number,
  Tq: number,
  Tk: number,
  D: number,
  maskShape: number[],
  threshold: number,
  scale: number,
  seedLo: number,
  seedHi: number,
];

/** The addon's attention arguments; the dropout threshold and scale are computed as @robusta/tfjs's dropout.ts does. */
export function attentionArgs(q: TensorInfo, k: TensorInfo, mask: TensorInfo, attrs: AttentionAttrs): AttentionArgs {
  const [B, A, Tq, D] = q.shape as [number, number, number, number];
  const Tk = k.shape[2] as number;
  const rate = attrs.dropoutRate;
  if (!(rate >= 0 && rate < 1)) throw new Error(`${RobustaAttention}: dropoutRate must be in [0, 1), got ${rate}`);
  const threshold = Math.ceil(rate * 16777216);
  return [B, A, Tq, Tk, D, mask.shape, threshold, Math.fround(1 / (1 - rate)), attrs.seedLo >>> 0, attrs.seedHi >>> 0];
}

/** [rows, last] of a tensor seen as a matrix over its last axis. */
export function rowsAndLast(t: TensorInfo): [rows: number, last: number] {
  const last = t.shape[t.shape.length - 1] ?? 1;
  const size = t.shape.reduce((a, b) => a * b, 1);
  return [last === 0 ? 0 : size / last, last];
}

/** Throws unless every tensor is float32 (the fused kernels compute in float32 only). */
export function requireFloat32(kernel: string, tensors: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
}
