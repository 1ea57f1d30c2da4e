// The 'robusta' tfjs backend: tensor data lives in addon-owned memory; JS keeps handles, refcounts and dtypes.
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
import { DTypeCode, native, type Storage } from './addon.js';

interface TensorData {
  /** Numeric data (float32, int32, bool); absent for strings. */
  storage?: Storage;
  /** String tensors stay in JS: no kernel here computes on them. */
  strings?: Uint8Array[];
  dtype: DataType;
  refCount: number;
}

export function dtypeCode(dtype: DataType): DTypeCode {
  switch (dtype) {
    case 'float32':
      return DTypeCode.F32;
    case 'int32':
      return DTypeCode.I32;
    case 'bool':
      return DTypeCode.Bool;
    default:
      throw new Error(`the robusta backend does not support dtype ${dtype}`);
  }
}

export function bytesPerElement(dtype: DataType): number {
  return dtype === 'bool' ? 1 : 4;
}

function typedArrayFor(dtype: DataType, n: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'int32') return new Int32Array(n);
  if (dtype === 'bool') return new Uint8Array(n);
  return new Float32Array(n);
}

/** Values in the typed array tfjs uses for the dtype (a float32 tensor may be written from an Int32Array, etc.). */
function asTyped(values: backend_util.BackendValues, dtype: DataType): ArrayBufferView {
  const want = dtype === 'int32' ? Int32Array : dtype === 'bool' ? Uint8Array : Float32Array;
  if (values instanceof want) return values;
  return want.from(values as ArrayLike<number>);
}

export class RobustaBackend extends KernelBackend {
  readonly data: DataStorage<TensorData>;
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
    if (dtype === 'complex64') throw new Error('the robusta backend does not support complex64 tensors');
    const n = util.sizeFromShape(shape);
    const storage = native.alloc(n * bytesPerElement(dtype));
    if (values != null) native.write(storage, asTyped(values, dtype));
    this.data.set(dataId, { storage, dtype, refCount });
  }

  /** A new tensor of this backend, filled with `values` when given. */
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

  /** The storage of a numeric tensor, or a clear error. */
  storage(t: TensorInfo): Storage {
    const d = this.data.get(t.dataId);
    if (!d) throw new Error('tensor data not found on the robusta backend (disposed, or from another backend)');
    if (!d.storage) throw new Error(`a ${d.dtype} tensor has no numeric storage on the robusta backend`);
    return d.storage;
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? (this.data.get(dataId) as TensorData).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    (this.data.get(dataId) as TensorData).refCount++;
  }

  decRef(dataId: DataId): void {
    if (this.data.has(dataId)) (this.data.get(dataId) as TensorData).refCount--;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const d = this.data.get(dataId);
    if (!d) throw new Error('readSync: tensor data not found on the robusta backend');
    if (d.strings) return d.strings;
    const storage = d.storage as Storage;
    const out = typedArrayFor(d.dtype, storage.bytes / bytesPerElement(d.dtype));
    native.read(storage, out);
    return out;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const d = this.data.get(dataId) as TensorData;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    d.storage?.free();
    this.data.delete(dataId);
    return true;
  }

  disposeIntermediateTensorInfo(t: TensorInfo): void {
    this.disposeData(t.dataId);
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const start = util.now();
    f();
    return { kernelMs: util.now() - start };
  }

  override memory(): { unreliable: boolean; reasons: string[] } & Record<string, unknown> {
    const s = native.poolStats();
    return { unreliable: false, reasons: [], numBytesInPool: s.pooledBytes, numBytesLive: s.liveBytes, ...s };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    native.trim();
  }
}
