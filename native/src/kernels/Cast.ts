// Cast: converts x to attrs.dtype (float -> int truncates toward zero; anything -> bool is x != 0).
import { Cast, type CastAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { castTo } from './elementwise.js';

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    const { dtype } = attrs as unknown as CastAttrs;
    if (dtype === 'complex64') throw new Error('Cast: the robusta backend does not support complex64');
    if (x.dtype === dtype) {
      b.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype };
    }
    return castTo(b, x, dtype);
  },
};
