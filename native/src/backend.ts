// The 'robusta' tfjs backend: tensor data lives in addon-owned host memory (pooled blocks); JS keeps handles, refcounts
// and dtypes through BlockBackend, shared with the device backend.
import type { BackendTimingInfo, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { native, type Storage } from './addon.js';
import { BlockBackend } from './block-backend.js';
import { DType } from './kernels/op_codes.js';

export { bytesPerElement } from './block-backend.js';

export function dtypeCode(dtype: DataType): DType {
  switch (dtype) {
    case 'float32':
      return DType.F32;
    case 'int32':
      return DType.I32;
    case 'bool':
      return DType.Bool;
    default:
      throw new Error(`the robusta backend does not support dtype ${dtype}`);
  }
}

export class RobustaBackend extends BlockBackend<Storage> {
  constructor() {
    super('robusta');
  }

  protected allocate(bytes: number): Storage {
    return native.alloc(bytes);
  }

  protected upload(block: Storage, values: ArrayBufferView): void {
    native.write(block, values);
  }

  protected download(block: Storage, into: ArrayBufferView): void {
    native.read(block, into);
  }

  /** The host storage of a numeric tensor, or a clear error. */
  storage(t: TensorInfo): Storage {
    return this.block(t);
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

  override dispose(): void {
    native.trim();
  }
}
