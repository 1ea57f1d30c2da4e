// RobustaLayerNormGrad: dx, dgamma, dbeta of RobustaLayerNorm from dy (statistics recomputed from x).
import { type LayerNormAttrs, RobustaLayerNormGrad } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32, rowsAndLast } from './fused.js';

export const robustaLayerNormGradConfig: KernelConfig = {
  kernelName: RobustaLayerNormGrad,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { dy, x, gamma } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo };
    requireFloat32(RobustaLayerNormGrad, { dy, x, gamma });
    const [rows, H] = rowsAndLast(x);
    const dx = b.makeTensorInfo(x.shape, 'float32');
    const dgamma = b.makeTensorInfo(gamma.shape, 'float32');
    const dbeta = b.makeTensorInfo(gamma.shape, 'float32');
    const eps = (attrs as unknown as LayerNormAttrs).epsilon;
    native.fusedLayerNormGrad(
      b.storage(dy),
      b.storage(x),
      b.storage(gamma),
      b.storage(dx),
      b.storage(dgamma),
      b.storage(dbeta),
      rows,
      H,
      eps,
    );
    return [dx, dgamma, dbeta];
  },
};
