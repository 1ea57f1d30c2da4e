// The CUDA device from TypeScript: what was found (or why not), device buffers, our kernels and cuBLASLt GEMM.
import { native } from './addon.js';
import type { BinaryOp, UnaryOp } from './kernels/elementwise.js';
import type { GemmPrecision } from './kernels/op_codes.js';

/** What the addon found at first use; `reason` names the missing piece (driver library, device, kernels). */
export interface CudaStatus {
  available: boolean;
  reason?: string;
  device?: string;
  computeCapability?: string;
  driverVersion?: string;
  multiprocessors?: number;
  totalBytes?: number;
  /** The cuBLASLt library and version when it loaded, else false (with `cublasLtReason`). */
  cublasLt?: string | false;
  cublasLtReason?: string;
}

/** A block of pooled device memory. */
export interface CudaBuffer {
  readonly bytes: number;
  readonly freed: boolean;
  free(): void;
}

export interface CudaPoolStats {
  freshBytes: number;
  freshBlocks: number;
  reusedBlocks: number;
  liveBytes: number;
  pooledBytes: number;
}

declare module './addon.js' {
  interface NativeAddon {
    cudaStatus(): CudaStatus;
    cudaAlloc(bytes: number): CudaBuffer;
    cudaUpload(buffer: CudaBuffer, values: ArrayBufferView): void;
    cudaDownload(buffer: CudaBuffer, into: ArrayBufferView): void;
    cudaUnary(op: UnaryOp, input: CudaBuffer, out: CudaBuffer, n: number, alpha?: number): void;
    cudaBinary(
      op: BinaryOp,
      a: CudaBuffer,
      aShape: readonly number[],
      b: CudaBuffer,
      bShape: readonly number[],
      out: CudaBuffer,
      outShape: readonly number[],
    ): void;
    cudaSoftmaxRows(x: CudaBuffer, y: CudaBuffer, rows: number, cols: number): void;
    cudaSumRows(x: CudaBuffer, y: CudaBuffer, rows: number, cols: number): void;
    cudaCastF32ToBf16(input: CudaBuffer, out: CudaBuffer, n: number): void;
    cudaGemm(
      precision: GemmPrecision,
      a: CudaBuffer,
      b: CudaBuffer,
      c: CudaBuffer,
      m: number,
      n: number,
      k: number,
      transA?: boolean,
      transB?: boolean,
      alpha?: number,
      beta?: number,
    ): void;
    cudaSynchronize(): void;
    cudaPoolStats(): CudaPoolStats;
    cudaTrim(): void;
  }
}

/** Probes the driver and device once; never throws. */
export function cudaStatus(): CudaStatus {
  return native.cudaStatus();
}

/** A device buffer holding a copy of `values`. */
export function toDevice(values: Float32Array | Int32Array | Uint8Array | Uint16Array): CudaBuffer {
  const buffer = native.cudaAlloc(values.byteLength);
  native.cudaUpload(buffer, values);
  return buffer;
}

/** The first `n` float32 values of a device buffer (waits for queued work first). */
export function downloadF32(buffer: CudaBuffer, n: number): Float32Array {
  const out = new Float32Array(n);
  native.cudaDownload(buffer, out);
  return out;
}

/** The first `n` bytes of a device buffer, e.g. a bool result (waits for queued work first). */
export function downloadU8(buffer: CudaBuffer, n: number): Uint8Array {
  const out = new Uint8Array(n);
  native.cudaDownload(buffer, out);
  return out;
}
