// Collectives between processes over MPI (OpenMPI, opened at run time): what was found, and `MpiCollective`, the
// gradient all-reduce and weight broadcast of data parallelism over CPU processes.
import { type DataType, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { native, type Storage } from './addon.js';

/** What the addon found at first use; `reason` says why MPI is unavailable (not installed, ROBUSTA_MPI=off, MPICH). */
export interface MpiStatus {
  available: boolean;
  /** The libmpi the loader opened. */
  library?: string;
  /** `Open MPI v4.1.4` (MPI_Get_library_version's first part). */
  version?: string;
  reason?: string;
  initialized: boolean;
  rank?: number;
  size?: number;
  localRank?: number;
  threadLevel?: MpiThreadLevel;
}

/** The thread support MPI_Init_thread granted ('unknown' when another library initialized MPI). */
export type MpiThreadLevel = 'single' | 'funneled' | 'serialized' | 'multiple' | 'unknown';

export interface MpiWorld {
  rank: number;
  size: number;
  /** Rank among the processes on this node. */
  localRank: number;
  threadLevel: MpiThreadLevel;
}

/** What all-reduce takes: float32 (a Storage is float32 tensor memory), float64 or int32 elements. */
export type MpiReducible = Float32Array | Float64Array | Int32Array | Storage;

declare module './addon.js' {
  interface NativeAddon {
    mpiStatus(): MpiStatus;
    mpiInit(): Promise<MpiWorld>;
    mpiAllReduceSum(buffer: MpiReducible, count?: number): Promise<void>;
    mpiAllReduceMax(buffer: MpiReducible, count?: number): Promise<void>;
    mpiBroadcast(buffer: ArrayBufferView | Storage, root?: number): Promise<void>;
    mpiBarrier(): Promise<void>;
    mpiFinalize(): Promise<void>;
    mpiAbort(code?: number): never;
  }
}

// Every function below that talks to other processes returns a promise (and rejects, never throws): the addon runs MPI
// on a thread of its own, in call order, so issue collectives in the same order on every rank and keep their buffers
// untouched (and any Storage unfreed) until the promise settles.

/** Loads libmpi once ($ROBUSTA_MPI: a path, or `off`); never throws. */
export function mpiStatus(): MpiStatus {
  return native.mpiStatus();
}

/** Starts MPI (idempotent); throws with the reason when MPI is unavailable. Run the process under mpirun for N > 1. */
export async function mpiInit(): Promise<MpiWorld> {
  return native.mpiInit();
}

/** Sums the first `count` elements (default all) over every rank, in place. */
export async function mpiAllReduceSum(buffer: MpiReducible, count?: number): Promise<void> {
  return native.mpiAllReduceSum(buffer, count);
}

/** Element-wise maximum over every rank, in place. */
export async function mpiAllReduceMax(buffer: MpiReducible, count?: number): Promise<void> {
  return native.mpiAllReduceMax(buffer, count);
}

/** Every byte of `buffer` from rank `root` (default 0), in place. */
export async function mpiBroadcast(buffer: ArrayBufferView | Storage, root = 0): Promise<void> {
  return native.mpiBroadcast(buffer, root);
}

export async function mpiBarrier(): Promise<void> {
  return native.mpiBarrier();
}

/** Ends MPI in this process (it cannot start again); call on every rank before exiting, or mpirun reports an error. */
export async function mpiFinalize(): Promise<void> {
  return native.mpiFinalize();
}

/** Ends every process of the job with `code`; callable while a collective is stuck. */
export function mpiAbort(code = 1): never {
  return native.mpiAbort(code);
}

/** Bucket size of the gradient all-reduce: PyTorch DDP's default 25 MB, few calls with little memory per call. */
export const MPI_BUCKET_BYTES = 25 * 1024 * 1024;

interface Slot {
  name: string;
  tensor: Tensor;
  bytes: number;
}

/**
 * The tensors in reverse order (the last parameters' gradients exist first in backward), grouped into buckets of
 * about `bucketBytes`; a tensor larger than that is a bucket of its own.
 */
export function planBuckets(values: Map<string, Tensor>, bucketBytes = MPI_BUCKET_BYTES): Slot[][] {
  const buckets: Slot[][] = [];
  let current: Slot[] = [];
  let bytes = 0;
  for (const [name, t] of [...values].reverse()) {
    const size = t.size * bytesPer(t.dtype, name);
    if (current.length > 0 && bytes + size > bucketBytes) {
      buckets.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ name, tensor: t, bytes: size });
    bytes += size;
  }
  if (current.length > 0) buckets.push(current);
  return buckets;
}

function bytesPer(dtype: DataType, name: string): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  throw new Error(`${name}: dtype ${dtype} cannot go through MPI (float32, int32 or bool expected)`);
}

/**
 * Data parallelism over MPI_COMM_WORLD for CPU processes. Structurally a `Collective` of @robusta/train (worldSize,
 * allReduceSum), which this package does not import. Create it with `await MpiCollective.create()` on every rank.
 */
export class MpiCollective {
  readonly worldSize: number;
  readonly rank: number;
  readonly localRank: number;
  readonly threadLevel: MpiThreadLevel;
  /** Reused bucket buffers by bucket index: fresh memory costs more to touch than to reduce. */
  private readonly buffers: Float32Array[] = [];
  /** An all-reduce in flight owns `buffers`. */
  private reducing = false;

  private constructor(
    world: MpiWorld,
    private readonly bucketBytes: number,
  ) {
    this.worldSize = world.size;
    this.rank = world.rank;
    this.localRank = world.localRank;
    this.threadLevel = world.threadLevel;
  }

  /** Starts MPI (or joins the running one); throws with the reason when it is unavailable. */
  static async create(options: { bucketBytes?: number } = {}): Promise<MpiCollective> {
    return new MpiCollective(await mpiInit(), options.bucketBytes ?? MPI_BUCKET_BYTES);
  }

  /**
   * Sums each float32 gradient over all ranks, in buckets (reverse order); takes ownership of `grads` (disposed) and
   * returns new tensors in the same order. While one bucket is reduced the next is read, so the copies overlap MPI.
   */
  async allReduceSum(grads: Map<string, Tensor>): Promise<Map<string, Tensor>> {
    if (this.worldSize === 1) return grads;
    for (const [name, g] of grads) {
      if (g.dtype !== 'float32') throw new Error(`allReduceSum: gradient ${name} is ${g.dtype}, float32 expected`);
    }
    if (this.reducing) throw new Error('allReduceSum: the previous call has not finished; await it first');
    this.reducing = true;
    const out = new Map<string, Tensor>();
    try {
      const buckets = planBuckets(grads, this.bucketBytes);
      const reducing: Promise<void>[] = [];
      for (const [i, bucket] of buckets.entries()) {
        const flat = this.buffer(
          i,
          bucket.reduce((n, s) => n + s.tensor.size, 0),
        );
        let offset = 0;
        for (const s of bucket) {
          flat.set((await s.tensor.data()) as Float32Array, offset);
          offset += s.tensor.size;
        }
        reducing.push(mpiAllReduceSum(flat));
      }
      await Promise.all(reducing);
      const summed = new Map<string, Tensor>();
      for (const [i, bucket] of buckets.entries()) {
        const flat = this.buffers[i] as Float32Array;
        let offset = 0;
        for (const s of bucket) {
          // a copy, not a view: the bucket is reused by the next call and tfjs's cpu backend keeps what it is given
          summed.set(s.name, tensor(flat.slice(offset, offset + s.tensor.size), s.tensor.shape, 'float32'));
          offset += s.tensor.size;
        }
      }
      for (const name of grads.keys()) out.set(name, summed.get(name) as Tensor);
      return out;
    } finally {
      this.reducing = false;
      for (const g of grads.values()) g.dispose();
    }
  }

  /**
   * Rank `root`'s values on every rank (float32, int32 or bool): each rank passes tensors of the same names and
   * shapes and gets new tensors holding root's values. Does not take ownership: the inputs are often variables.
   */
  async broadcast(values: Map<string, Tensor>, root = 0): Promise<Map<string, Tensor>> {
    const received = new Map<string, Tensor>();
    for (const bucket of planBuckets(values, this.bucketBytes)) {
      const bytes = new Uint8Array(bucket.reduce((n, s) => n + s.bytes, 0));
      let offset = 0;
      if (this.rank === root) {
        for (const s of bucket) {
          const d = (await s.tensor.data()) as Float32Array | Int32Array | Uint8Array;
          bytes.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), offset);
          offset += s.bytes;
        }
      }
      await mpiBroadcast(bytes, root);
      offset = 0;
      for (const s of bucket) {
        const raw = bytes.buffer.slice(offset, offset + s.bytes);
        const data =
          s.tensor.dtype === 'float32'
            ? new Float32Array(raw)
            : s.tensor.dtype === 'int32'
              ? new Int32Array(raw)
              : new Uint8Array(raw);
        received.set(s.name, tensor(data, s.tensor.shape, s.tensor.dtype));
        offset += s.bytes;
      }
    }
    return new Map([...values.keys()].map((name) => [name, received.get(name) as Tensor]));
  }

  barrier(): Promise<void> {
    return mpiBarrier();
  }

  /** Ends MPI in this process; call once on every rank before exiting. */
  finalize(): Promise<void> {
    return mpiFinalize();
  }

  private buffer(index: number, length: number): Float32Array {
    let b = this.buffers[index];
    if (b?.length !== length) {
      b = new Float32Array(length);
      this.buffers[index] = b;
    }
    return b;
  }
}
