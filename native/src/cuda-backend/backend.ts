// The 'robusta-cuda' tfjs backend: tensor data lives in pooled device memory; JS keeps handles, refcounts and dtypes.
import {
  type BackendTimingInfo,
  type backend_util,
  type DataId,
  DataStorage,
  type DataType,
  engine,
  KernelBackend,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { native } from '../addon.js';
import '../cuda.js'; // declares cudaSynchronize / cudaPoolStats / cudaTrim on the addon
import type { CudaTensorBuffer } from './addon.js';

export const CUDA_BACKEND_NAME = 'robusta-cuda';

interface DeviceData {
  /** Numeric data (float32, int32, bool bytes) on the device; absent for strings. */
  buffer?: CudaTensorBuffer;
  /** String tensors stay in host memory: no kernel here computes on them. */
  strings?: Uint8Array[];
  dtype: DataType;
  refCount: number;
}

export function deviceBytesPerElement(dtype: DataType): number {
  return dtype === 'bool' ? 1 : 4;
}

function typedArrayFor(dtype: DataType, n: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'int32') return new Int32Array(n);
  if (dtype === 'bool') return new Uint8Array(n);
  return new Float32Array(n);
}

/** Values in the typed array of the dtype (tfjs may write a float32 tensor from an Int32Array, etc.). */
function asTyped(values: backend_util.BackendValues, dtype: DataType): ArrayBufferView {
  const want = dtype === 'int32' ? Int32Array : dtype === 'bool' ? Uint8Array : Float32Array;
  if (values instanceof want) return values;
  return want.from(values as ArrayLike<number>);
}

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

export class CudaBackend extends KernelBackend {
  readonly data: DataStorage<DeviceData>;
  private nextDataId = 0;

  constructor() {
    super();
    this.data = new DataStorage(this, engine());
  }

  override write(values: backend_util.BackendValues | null, shape: number[], dtype: DataType): DataId {
    const dataId = { id: this.nextDataId++ };
    this.move(dataId, values, shape, dtype, 1);
    return dataId;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues | null,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    if (dtype === 'string') {
      this.data.set(dataId, { strings: (values as Uint8Array[] | null) ?? [], dtype, refCount });
      return;
    }
    if (dtype === 'complex64') throw new Error('the robusta-cuda backend does not support complex64 tensors');
    const buffer = native.cudaAlloc(util.sizeFromShape(shape) * deviceBytesPerElement(dtype));
    if (values != null && buffer.bytes > 0) native.cudaUpload(buffer, asTyped(values, dtype));
    this.data.set(dataId, { buffer, dtype, refCount });
  }

  /** A new (uninitialized unless `values` is given) tensor of this backend. */
  makeTensorInfo(shape: number[], dtype: DataType, values?: backend_util.BackendValues | string[]): TensorInfo {
    let v: backend_util.BackendValues | null = null;
    if (values !== undefined) {
      v =
        dtype === 'string' && Array.isArray(values) && typeof values[0] === 'string'
          ? (values as string[]).map((s) => util.encodeString(s))
          : (values as backend_util.BackendValues);
    }
    return { dataId: this.write(v, shape, dtype), shape, dtype };
  }

  /** The device buffer of a numeric tensor, or a clear error. */
  buffer(t: TensorInfo): CudaTensorBuffer {
    const d = this.data.get(t.dataId);
    if (!d) throw new Error('tensor data not found on the robusta-cuda backend (disposed, or from another backend)');
    if (!d.buffer) throw new Error(`a ${d.dtype} tensor has no device data on the robusta-cuda backend`);
    return d.buffer;
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? (this.data.get(dataId) as DeviceData).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    (this.data.get(dataId) as DeviceData).refCount++;
  }

  decRef(dataId: DataId): void {
    if (this.data.has(dataId)) (this.data.get(dataId) as DeviceData).refCount--;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const d = this.data.get(dataId);
    if (!d) throw new Error('readSync: tensor data not found on the robusta-cuda backend');
    if (d.strings) return d.strings;
    const buffer = d.buffer as CudaTensorBuffer;
    const out = typedArrayFor(d.dtype, buffer.bytes / deviceBytesPerElement(d.dtype));
    if (out.byteLength > 0) native.cudaDownload(buffer, out);
    return out;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const d = this.data.get(dataId) as DeviceData;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    // the block goes back to the pool at once: later work on the one stream is ordered after kernels reading it
    d.buffer?.free();
    this.data.delete(dataId);
    return true;
  }

  disposeIntermediateTensorInfo(t: TensorInfo): void {
    this.disposeData(t.dataId);
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

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    native.cudaTrim();
  }
}
