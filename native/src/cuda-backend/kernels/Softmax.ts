// Softmax over the last axis (fp32 throughout): R rows of C columns, one block per row.
import { type KernelConfig, Softmax, type SoftmaxAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { CUDA_BACKEND_NAME, type CudaBackend, requireFloat32 } from '../backend.js';

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.logits as TensorInfo;
    requireFloat32('Softmax', x);
    const rank = x.shape.length;
    const { dim } = attrs as unknown as SoftmaxAttrs;
    const axis = dim < 0 ? dim + rank : dim;
    util.assert(
      axis === rank - 1,
      () => `Softmax: robusta-cuda computes over the last axis only; got dim ${dim} for shape [${x.shape}]`,
    );
    const cols = rank === 0 ? 1 : (x.shape[rank - 1] as number);
    const size = util.sizeFromShape(x.shape);
    const out = b.makeTensorInfo(x.shape, 'float32');
    if (size > 0) native.cudaSoftmaxRows(b.buffer(x), b.buffer(out), size / cols, cols);
    return out;
  },
};
