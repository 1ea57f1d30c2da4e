// Spare ArrayBuffers kept for reuse by size: a buffer far larger than a request is not handed out for it, because a
// transferred buffer counts its whole size as newly allocated memory on the receiving side, and V8 starts a garbage
// collection every ~64 MB of that: small chunks shipped in a huge reused buffer made a pipeline collect nonstop.

/** A buffer may be up to this many times the bytes asked (plus SLACK) and still be handed out. */
const MAX_OVERSIZE = 4;
const SLACK = 64 * 1024;

export class BufferShelf {
  private readonly free: ArrayBuffer[] = [];

  /** @param capacity buffers kept at most; past it the largest is dropped (left to the garbage collector) */
  constructor(private readonly capacity: number) {}

  /** The smallest kept buffer of at least `bytes` bytes, unless even that is far larger than asked. */
  take(bytes: number): ArrayBuffer | undefined {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = (this.free[i] as ArrayBuffer).byteLength;
      if (size >= bytes && (best < 0 || size < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    }
    if (best < 0 || (this.free[best] as ArrayBuffer).byteLength > MAX_OVERSIZE * bytes + SLACK) return undefined;
    return this.free.splice(best, 1)[0];
  }

  /** Keeps `b` for reuse (a detached, zero-length buffer is ignored). */
  put(b: ArrayBuffer): void {
    if (b.byteLength === 0) return;
    this.free.push(b);
    if (this.free.length <= this.capacity) return;
    let largest = 0;
    for (let i = 1; i < this.free.length; i++)
      if ((this.free[i] as ArrayBuffer).byteLength > (this.free[largest] as ArrayBuffer).byteLength) largest = i;
    this.free.splice(largest, 1);
  }

  get size(): number {
    return this.free.length;
  }
}
