// Max-heap of candidate merges for the trainer: highest count first, ties to the smaller (left id, right id) pair.

/** A candidate pair, the count it had when queued, and the words that may hold it. */
export interface Candidate {
  count: number;
  left: number;
  right: number;
  /** Word indices; may hold words that no longer contain the pair (merging them is then a no-op). */
  words: Int32Array;
}

/** True when `x` must be merged before `y` (HF's `Merge` ordering: count, then the pair ascending). */
function before(x: Candidate, y: Candidate): boolean {
  if (x.count !== y.count) return x.count > y.count;
  if (x.left !== y.left) return x.left < y.left;
  return x.right < y.right;
}

export class MergeQueue {
  private readonly heap: Candidate[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(c: Candidate): void {
    const h = this.heap;
    let i = h.length;
    h.push(c);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Candidate;
      if (!before(c, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = c;
  }

  pop(): Candidate | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(h[r] as Candidate, h[l] as Candidate)) child = r;
      const c = h[child] as Candidate;
      if (!before(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
    return top;
  }
}
