// Reused blocks that input files are read into, handed back once the batches using them are encoded: fresh memory
// costs ~5-8 ms per MB on first touch on these machines, which reading every file into a new Buffer paid each time.

export interface Block {
  bytes: Uint8Array;
  used: number;
  /** Batches still reading the block, plus one while it is the block being filled. */
  refs: number;
}

/** Free blocks kept for reuse; more are left to the garbage collector. */
const KEEP = 8;

export class TextArena {
  private readonly free: Block[] = [];
  private current: Block | undefined;

  constructor(private readonly blockBytes: number) {}

  /** `n` bytes of room in the current block, or in a fresh or recycled one; `block` is where they are. */
  take(n: number): { view: Uint8Array; block: Block } {
    let b = this.current;
    if (!b || b.bytes.length - b.used < n) {
      if (b) this.release(b);
      const i = this.free.findIndex((f) => f.bytes.length >= n);
      b =
        i >= 0
          ? (this.free.splice(i, 1)[0] as Block)
          : { bytes: new Uint8Array(Math.max(this.blockBytes, n)), used: 0, refs: 0 };
      b.used = 0;
      b.refs = 1;
      this.current = b;
    }
    const view = b.bytes.subarray(b.used, b.used + n);
    b.used += n;
    return { view, block: b };
  }

  retain(b: Block): void {
    b.refs++;
  }

  release(b: Block): void {
    if (--b.refs === 0 && this.free.length < KEEP) this.free.push(b);
  }
}
