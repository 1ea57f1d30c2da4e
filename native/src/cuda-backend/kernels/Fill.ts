// Fill, ZerosLike, OnesLike: one value in every element (a 32-bit pattern for float32/int32, a byte for bool).
import {
  type DataType,
  Fill,
  type FillAttrs,
  type KernelConfig,
  OnesLike,
  type TensorInfo,
  ZerosLike,
} from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { CUDA_BACKEND_NAME, type CudaBackend, requireNumeric } from '../backend.js';

/** A new tensor of `shape` and `dtype` with every element `value`. */
export function filled(b: CudaBackend, shape: number[], dtype: DataType, value: number): TensorInfo {
  const out = b.makeTensorInfo(shape, dtype);
  const n = shape.reduce((p, d) => p * d, 1);
  if (dtype === 'bool') {
    native.cudaTensorFill(b.buffer(out), value !== 0 ? 1 : 0, n);
  } else {
    const bits =
      dtype === 'int32' ? new Uint32Array(Int32Array.of(value).buffer) : new Uint32Array(Float32Array.of(value).buffer);
    native.cudaTensorFill32(b.buffer(out), bits[0] as number, n);
  }
  return out;
}

export const fillConfig: KernelConfig = {
  kernelName: Fill,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ backend, attrs }) => {
    const { shape, value, dtype } = attrs as unknown as FillAttrs;
    const $dtype = dtype ?? (typeof value === 'number' ? 'float32' : 'string');
    if ($dtype === 'string' || typeof value === 'string') {
      throw new Error('Fill: the robusta-cuda backend does not support string tensors');
    }
    return filled(backend as CudaBackend, shape, $dtype, value);
  },
};

function likeKernel(name: string, value: number): KernelConfig['kernelFunc'] {
  return ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    requireNumeric(name, x);
    if (x.dtype === 'complex64') throw new Error(`${name}: the robusta-cuda backend does not support complex64`);
    return filled(backend as CudaBackend, x.shape, x.dtype, value);
  };
}

export const zerosLikeConfig: KernelConfig = {
  kernelName: ZerosLike,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: likeKernel('ZerosLike', 0),
};

export const onesLikeConfig: KernelConfig = {
  kernelName: OnesLike,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: likeKernel('OnesLike', 1),
};
