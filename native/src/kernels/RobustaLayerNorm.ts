// RobustaLayerNorm: fused LayerNorm over the last axis (x [.., H], gamma [H], beta [H]).
import { type LayerNormAttrs, RobustaLayerNorm } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32, rowsAndLast } from './fused.js';

export const robustaLayerNormConfig: KernelConfig = {
  kernelName: RobustaLayerNorm,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    requireFloat32(RobustaLayerNorm, { x, gamma, beta });
    const [rows, H] = rowsAndLast(x);
    const y = b.makeTensorInfo(x.shape, 'float32');
    const eps = (attrs as unknown as LayerNormAttrs).epsilon;
    native.fusedLayerNorm(b.storage(x), b.storage(gamma), b.storage(beta), b.storage(y), rows, H, eps);
    return y;
  },
};
