// RobustaAdamW: one AdamW step; updates param, m and v in place when nothing but their Variables references them.
import { type AdamWAttrs, RobustaAdamW } from '@robusta/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import type { RobustaBackend } from '../backend.js';
import { requireFloat32 } from './fused.js';

export const robustaAdamWConfig: KernelConfig = {
  kernelName: RobustaAdamW,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
    requireFloat32(RobustaAdamW, { param, grad, m, v });
    const n = param.shape.reduce((x, y) => x * y, 1);
    const state = [param, m, v];
    // in place only when no other tensor (a tape's saved copy, a user's handle) shares the memory
    const ids = new Set([param.dataId, grad.dataId, m.dataId, v.dataId]);
    const inPlace = ids.size === 4 && state.every((t) => b.refCount(t.dataId) === 1);
    const outs = inPlace
      ? state.map((t) => {
          b.incRef(t.dataId);
          return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
        })
      : state.map((t) => b.makeTensorInfo(t.shape, 'float32'));
    const a = attrs as unknown as AdamWAttrs;
    const [po, mo, vo] = outs as [TensorInfo, TensorInfo, TensorInfo];
    native.fusedAdamW(
      b.storage(param),
      b.storage(grad),
      b.storage(m),
      b.storage(v),
      b.storage(po),
      b.storage(mo),
      b.storage(vo),
      n,
      a.lr,
      a.beta1,
      a.beta2,
      a.eps,
      a.weightDecay,
      a.biasCorrection1,
      a.biasCorrection2,
    );
    return outs;
  },
};
