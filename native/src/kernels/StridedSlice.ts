// StridedSlice: tfjs-core's slice_util plans the slice (all masks); the copy is one native strided copy.
import {
  type KernelConfig,
  StridedSlice,
  type StridedSliceAttrs,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { RobustaBackend } from '../backend.js';
import { assertNumeric, contiguousStrides, copyInto, reshapeShared } from './transform.js';

export const stridedSliceConfig: KernelConfig = {
  kernelName: StridedSlice,
  backendName: 'robusta',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as RobustaBackend;
    const x = inputs.x as TensorInfo;
    assertNumeric(x, 'StridedSlice');
    const { begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask } =
      attrs as unknown as StridedSliceAttrs;
    const info = slice_util.sliceInfo(
      x.shape,
      begin,
      end,
      strides,
      beginMask,
      endMask,
      ellipsisMask,
      newAxisMask,
      shrinkAxisMask,
    );
    if (info.isIdentity) return reshapeShared(b, x, info.finalShape);
    // the dense (one entry per axis of x) extent of each axis; shrunk axes are 1 long, new axes do not appear
    const extents = info.begin.map((bg, d) => {
      const length = (info.end[d] as number) - bg;
      const stride = info.strides[d] as number;
      if (length === 0 || length < 0 !== stride < 0) return 0;
      return Math.trunc(length / stride) + (length % stride !== 0 ? 1 : 0);
    });
    util.assert(
      util.sizeFromShape(extents) === util.sizeFromShape(info.finalShape),
      () => `StridedSlice: planned extents [${extents}] do not match the output shape [${info.finalShape}]`,
    );
    const out = b.makeTensorInfo(info.finalShape, x.dtype);
    const xStrides = contiguousStrides(x.shape);
    const offset = info.begin.reduce((acc, bg, d) => acc + bg * (xStrides[d] as number), 0);
    copyInto(
      b,
      x,
      out,
      extents,
      extents.map((_, d) => (xStrides[d] as number) * (info.strides[d] as number)),
      offset,
    );
    return out;
  },
};
