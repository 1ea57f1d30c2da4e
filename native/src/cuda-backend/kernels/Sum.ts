// Sum and Mean over any axes, fp32: the reduced axes are moved last (a strided copy) when they are not already, then
// R rows of C columns -> R values on the device. Mean divides the sums by C.
import {
  type KernelConfig,
  Mean,
  type MeanAttrs,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { BinaryOp } from '../../kernels/elementwise.js';
import { CUDA_BACKEND_NAME, type CudaBackend, requireFloat32 } from '../backend.js';
import { transposeTensor } from './Transpose.js';

function reduceSum(
  kernel: string,
  b: CudaBackend,
  x: TensorInfo,
  axis: number | number[],
  keepDims: boolean,
  mean: boolean,
): TensorInfo {
  requireFloat32(kernel, x);
  const rank = x.shape.length;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  const keptAxes = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const trailing = axes.every((ax, i) => ax === rank - axes.length + i);
  const input = trailing ? x : transposeTensor(b, x, [...keptAxes, ...axes]);
  const kept = keptAxes.map((d) => x.shape[d] as number);
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
  const rows = util.sizeFromShape(kept);
  const cols = util.sizeFromShape(axes.map((d) => x.shape[d] as number));
  const out = b.makeTensorInfo(outShape, 'float32');
  if (rows > 0) native.cudaSumRows(b.buffer(input), b.buffer(out), rows, cols);
  if (input !== x) b.disposeIntermediateTensorInfo(input);
  if (!mean || rows === 0) return out;
  const n = b.makeTensorInfo([], 'float32', Float32Array.of(cols));
  const divided = b.makeTensorInfo(outShape, 'float32');
  native.cudaBinary(BinaryOp.RealDiv, b.buffer(out), outShape, b.buffer(n), [], b.buffer(divided), outShape);
  b.disposeIntermediateTensorInfo(out);
  b.disposeIntermediateTensorInfo(n);
  return divided;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    return reduceSum('Sum', backend as CudaBackend, inputs.x as TensorInfo, axis, keepDims, false);
  },
};

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { axis, keepDims } = attrs as unknown as MeanAttrs;
    return reduceSum('Mean', backend as CudaBackend, inputs.x as TensorInfo, axis, keepDims, true);
  },
};
