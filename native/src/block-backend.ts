// What the host ('robusta') and device ('robusta-cuda') backends share: tensor data as pooled blocks behind tfjs
// DataIds, with refcounts, dtype-typed reads and writes, and disposal; each backend says how blocks are made and moved.
import {
  type backend_util,
  type DataId,
  DataStorage,
  type DataType,
  engine,
  KernelBackend,
  type KernelFunc,
  type ReshapeAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';

/** A block of backend-owned memory (host Storage or device CudaBuffer). */
export interface Block {
  readonly bytes: number;
  free(): void;
}

interface BlockData<B extends Block> {
  /** Numeric data (float32, int32, bool bytes); absent for strings. */
  block?: B;
  /** String tensors stay in JS: no kernel computes on them. */
  strings?: Uint8Array[];
  dtype: DataType;
  refCount: number;
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

export abstract class BlockBackend<B extends Block> extends KernelBackend {
  readonly data: DataStorage<BlockData<B>>;
  private nextDataId = 0;

  /** @param label the backend's name, for error messages */
  constructor(private readonly label: string) {
    super();
    this.data = new DataStorage(this, engine());
  }

  protected abstract allocate(bytes: number): B;
  protected abstract upload(block: B, values: ArrayBufferView): void;
  protected abstract download(block: B, into: ArrayBufferView): void;

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
    if (dtype === 'complex64') throw new Error(`the ${this.label} backend does not support complex64 tensors`);
    const block = this.allocate(util.sizeFromShape(shape) * bytesPerElement(dtype));
    if (values != null && block.bytes > 0) this.upload(block, asTyped(values, dtype));
    this.data.set(dataId, { block, dtype, refCount });
  }

  /** A new tensor of this backend (uninitialized unless `values` is given). */
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

  /** The block of a numeric tensor, or a clear error. */
  block(t: TensorInfo): B {
    const d = this.data.get(t.dataId);
    if (!d) throw new Error(`tensor data not found on the ${this.label} backend (disposed, or from another backend)`);
    if (!d.block) throw new Error(`a ${d.dtype} tensor has no numeric data on the ${this.label} backend`);
    return d.block;
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? (this.data.get(dataId) as BlockData<B>).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    (this.data.get(dataId) as BlockData<B>).refCount++;
  }

  decRef(dataId: DataId): void {
    if (this.data.has(dataId)) (this.data.get(dataId) as BlockData<B>).refCount--;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const d = this.data.get(dataId);
    if (!d) throw new Error(`readSync: tensor data not found on the ${this.label} backend`);
    if (d.strings) return d.strings;
    const block = d.block as B;
    const out = typedArrayFor(d.dtype, block.bytes / bytesPerElement(d.dtype));
    if (out.byteLength > 0) this.download(block, out);
    return out;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const d = this.data.get(dataId) as BlockData<B>;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    d.block?.free();
    this.data.delete(dataId);
    return true;
  }

  disposeIntermediateTensorInfo(t: TensorInfo): void {
    this.disposeData(t.dataId);
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }
}

/** Reshape on any block backend: the same block under a new shape (row-major order is unchanged), one more reference. */
export const reshapeKernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { shape } = attrs as unknown as ReshapeAttrs;
  const size = util.sizeFromShape(x.shape);
  const $shape = util.inferFromImplicitShape(shape, size);
  util.assert(
    util.sizeFromShape($shape) === size,
    () => `Reshape: cannot reshape [${x.shape}] (${size} elements) to [${$shape}]`,
  );
  (backend as KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: $shape, dtype: x.dtype };
};

/** Identity on any block backend: the same block under a new tensor, one more reference. */
export const identityKernelFunc: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};
