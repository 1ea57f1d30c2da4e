// Slice and StridedSlice as strided copies, following tfjs's own slice_util for begin/size/strides and the masks.
import {
  type KernelConfig,
  Slice,
  type SliceAttrs,
  StridedSlice,
  type StridedSliceAttrs,
  slice_util,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CUDA_BACKEND_NAME, type CudaBackend, requireNumeric, rowMajorStrides, stridedCopy } from '../backend.js';

/** A new tensor of `x[begin[d] + i_d * step[d]]` over `outShape` (one entry per axis of x). */
function sliceTensor(b: CudaBackend, x: TensorInfo, begin: number[], outShape: number[], step?: number[]): TensorInfo {
  const strides = rowMajorStrides(x.shape);
  let base = 0;
  for (let d = 0; d < outShape.length; d++) base += (begin[d] as number) * (strides[d] as number);
  const walk = outShape.map((_, d) => (strides[d] as number) * (step?.[d] ?? 1));
  return stridedCopy(b, x, outShape, walk, base);
}

export const sliceConfig: KernelConfig = {
  kernelName: Slice,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    requireNumeric('Slice', x);
    const { begin, size } = attrs as unknown as SliceAttrs;
    const [$begin = [], $size = []] = slice_util.parseSliceParams(x, begin, size);
    slice_util.assertParamsValid(x, $begin, $size);
    return sliceTensor(backend as CudaBackend, x, $begin, $size);
  },
};

export const stridedSliceConfig: KernelConfig = {
  kernelName: StridedSlice,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    requireNumeric('StridedSlice', x);
    const a = attrs as unknown as StridedSliceAttrs;
    const info = slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    if (info.isIdentity) {
      b.incRef(x.dataId);
      return { dataId: x.dataId, shape: info.finalShape, dtype: x.dtype };
    }
    let out: TensorInfo;
    if (info.sliceDim0 || info.isSimpleSlice) {
      out = sliceTensor(b, x, info.begin, slice_util.computeOutShape(info.begin, info.end, info.strides));
    } else {
      if (info.finalShapeSparse.length !== x.shape.length) {
        throw new Error(
          `StridedSlice: robusta-cuda expected a processing shape of rank ${x.shape.length}, got ` +
            `[${info.finalShapeSparse}] for input [${x.shape}]`,
        );
      }
      out = sliceTensor(b, x, info.begin, info.finalShapeSparse, info.strides);
    }
    // the copy is dense in row-major order, so the final shape (new and shrunk axes) is a reshape of it
    return { dataId: out.dataId, shape: info.finalShape, dtype: out.dtype };
  },
};
