// Cast: float32 <-> int32 <-> bool on the device (float32 -> int32 truncates as tfjs does; to bool is `x != 0`).
import { Cast, type CastAttrs, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { native } from '../../addon.js';
import { CastMode } from '../addon.js';
import { CUDA_BACKEND_NAME, type CudaBackend } from '../backend.js';

const MODES: Record<string, CastMode> = {
  'float32>int32': CastMode.F32ToI32,
  'int32>float32': CastMode.I32ToF32,
  'float32>bool': CastMode.F32ToBool,
  'int32>bool': CastMode.I32ToBool,
  'bool>float32': CastMode.BoolToF32,
  'bool>int32': CastMode.BoolToI32,
};

/** A new tensor holding `x` converted to `dtype` (the caller disposes it). */
export function castTensor(b: CudaBackend, x: TensorInfo, dtype: DataType): TensorInfo {
  const mode = MODES[`${x.dtype}>${dtype}`];
  if (mode === undefined) throw new Error(`Cast: the robusta-cuda backend cannot cast ${x.dtype} to ${dtype}`);
  const out = b.makeTensorInfo(x.shape, dtype);
  const n = x.shape.reduce((p, d) => p * d, 1);
  native.cudaTensorCast(mode, b.buffer(x), b.buffer(out), n);
  return out;
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: CUDA_BACKEND_NAME,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { dtype } = attrs as unknown as CastAttrs;
    const b = backend as CudaBackend;
    if (x.dtype === dtype) {
      b.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype };
    }
    return castTensor(b, x, dtype);
  },
};
