// The 'robusta-cuda' tfjs backend: tensor data lives in pooled device memory; JS keeps handles, refcounts and dtypes
// through BlockBackend, shared with the host backend.
import type { BackendTimingInfo, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import { BlockBackend, bytesPerElement } from '../block-backend.js';
import '../cuda.js'; // declares cudaAlloc / cudaUpload / cudaSynchronize / cudaPoolStats / cudaTrim on the addon
import type { CudaTensorBuffer } from './addon.js';

export const CUDA_BACKEND_NAME = 'robusta-cuda';

/** Bytes per element on the device: the host's layout (float32, int32, one byte per bool). */
export const deviceBytesPerElement = bytesPerElement;

/** Throws the backend's one "float32 only" error (the conformance exclusion list matches its wording). */
export function requireFloat32(kernel: string, t: TensorInfo): void {
  if (t.dtype !== 'float32') {
    throw new Error(`${kernel}: the robusta-cuda backend computes on float32 only so far, got ${t.dtype}`);
  }
}

/** Data movement kernels copy float32, int32 and bool alike; strings stay in host memory. */
export function requireNumeric(kernel: string, t: TensorInfo): void {
  if (t.dtype === 'string') throw new Error(`${kernel}: the robusta-cuda backend does not support string tensors`);
}

/** Row-major element strides of a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d] as number;
  }
  return strides;
}

/** A new tensor of `outShape` read from `x` at `base + sum idx_d * strides_d` (the device's strided copy). */
export function stridedCopy(
  b: CudaBackend,
  x: TensorInfo,
  outShape: number[],
  strides: number[],
  base: number,
): TensorInfo {
  const out = b.makeTensorInfo(outShape, x.dtype);
  const eb = deviceBytesPerElement(x.dtype) as 1 | 4;
  native.cudaTensorStridedCopy(eb, b.buffer(x), b.buffer(out), outShape, strides, base);
  return out;
}

export class CudaBackend extends BlockBackend<CudaTensorBuffer> {
  constructor() {
    super(CUDA_BACKEND_NAME);
  }

  protected allocate(bytes: number): CudaTensorBuffer {
    return native.cudaAlloc(bytes);
  }

  protected upload(block: CudaTensorBuffer, values: ArrayBufferView): void {
    native.cudaUpload(block, values);
  }

  protected download(block: CudaTensorBuffer, into: ArrayBufferView): void {
    native.cudaDownload(block, into);
  }

  /** The device buffer of a numeric tensor, or a clear error. Blocks freed on dispose go back to the pool at once:
   * later work on the one stream is ordered after the kernels reading them. */
  buffer(t: TensorInfo): CudaTensorBuffer {
    return this.block(t);
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    native.cudaSynchronize();
    const start = util.now();
    f();
    native.cudaSynchronize();
    return { kernelMs: util.now() - start };
  }

  override memory(): { unreliable: boolean; reasons: string[] } & Record<string, unknown> {
    const s = native.cudaPoolStats();
    return { unreliable: false, reasons: [], numBytesInPool: s.pooledBytes, numBytesLive: s.liveBytes, ...s };
  }

  override dispose(): void {
    native.cudaTrim();
  }
}
