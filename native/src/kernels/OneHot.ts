// OneHot: [...indices.shape, depth] of attrs.dtype, onValue at each index in [0, depth), offValue elsewhere.
import { type KernelConfig, OneHot, type OneHotAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { dtypeCode, type RobustaBackend } from '../backend.js';
import './gather.js';
import { ensureDtype } from './transform.js';

export const oneHotConfig: KernelConfig = {
  kernelName: OneHot,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const { dtype, depth, onValue, offValue } = attrs as unknown as OneHotAttrs;
    const temps: TensorInfo[] = [];
    const indices = ensureDtype(b, inputs.indices as TensorInfo, 'int32', temps);
    const n = indices.shape.reduce((p, d) => p * d, 1);
    const out = b.makeTensorInfo([...indices.shape, depth], dtype);
    native.oneHot(b.storage(indices), n, depth, dtypeCode(dtype), onValue, offValue, b.storage(out));
    for (const t of temps) b.disposeIntermediateTensorInfo(t);
    return out;
  },
};
