// Byte-pair merging of one pre-token: repeatedly join the adjacent pair with the lowest merge rank, leftmost first.
// Short pieces use a rank array scanned linearly (cheap for words); long ones a heap over a linked list (n log n).
import { mergeOf, NO_MERGE } from './merges';

/** Pieces up to this many bytes take the linear-scan path. */
const SHORT: u32 = 48;

let byteIds: usize = 0; // u32 id of each of the 256 byte tokens
let scratchCap: u32 = 0;
let parts: usize = 0; // u32 per part
let pairs: usize = 0; // u64 per adjacent pair: rank << 32 | result (all ones: no merge)
let nextOf: usize = 0; // u32 per part (long path)
let prevOf: usize = 0; // u32 per part (long path)
let queue: usize = 0; // u64 heap entries rank << 32 | position (long path)

export function setByteIds(ptr: usize): void {
  byteIds = ptr;
}

function ensureScratch(n: u32): void {
  if (n <= scratchCap) return;
  if (scratchCap != 0) {
    heap.free(parts);
    heap.free(pairs);
    heap.free(nextOf);
    heap.free(prevOf);
    heap.free(queue);
  }
  let cap: u32 = 64;
  while (cap < n) cap <<= 1;
  scratchCap = cap;
  parts = heap.alloc((<usize>cap) << 2);
  pairs = heap.alloc((<usize>cap) << 3);
  nextOf = heap.alloc((<usize>cap) << 2);
  prevOf = heap.alloc((<usize>cap) << 2);
  // every merge pushes at most two pairs on top of the n - 1 initial ones
  queue = heap.alloc((<usize>cap * 3) << 3);
}

/** BPE over the n >= 2 bytes at p; writes ids to out and returns their count. */
export function bpe(p: usize, n: u32, out: usize): u32 {
  ensureScratch(n);
  if (n <= SHORT) return bpeShort(p, n, out);
  return bpeLong(p, n, out);
}

function bpeShort(p: usize, n: u32, out: usize): u32 {
  for (let i: u32 = 0; i < n; i++) {
    store<u32>(parts + ((<usize>i) << 2), load<u32>(byteIds + ((<usize>load<u8>(p + i)) << 2)));
  }
  let m = n;
  for (let i: u32 = 0; i + 1 < m; i++) {
    const a = load<u32>(parts + ((<usize>i) << 2));
    const b = load<u32>(parts + ((<usize>(i + 1)) << 2));
    store<u64>(pairs + ((<usize>i) << 3), mergeOf(a, b));
  }
  while (m > 1) {
    let best: u64 = NO_MERGE;
    let at: u32 = 0;
    for (let i: u32 = 0; i + 1 < m; i++) {
      const v = load<u64>(pairs + ((<usize>i) << 3));
      if (v < best) {
        best = v;
        at = i;
      }
    }
    if (best == NO_MERGE) break;
    store<u32>(parts + ((<usize>at) << 2), <u32>best);
    // drop part at+1 and pair at (pair at is rewritten below)
    memory.copy(parts + ((<usize>(at + 1)) << 2), parts + ((<usize>(at + 2)) << 2), (<usize>(m - at - 2)) << 2);
    memory.copy(pairs + ((<usize>(at + 1)) << 3), pairs + ((<usize>(at + 2)) << 3), (<usize>(m - at - 2)) << 3);
    m--;
    const cur = load<u32>(parts + ((<usize>at) << 2));
    if (at + 1 < m) store<u64>(pairs + ((<usize>at) << 3), mergeOf(cur, load<u32>(parts + ((<usize>(at + 1)) << 2))));
    if (at > 0) store<u64>(pairs + ((<usize>(at - 1)) << 3), mergeOf(load<u32>(parts + ((<usize>(at - 1)) << 2)), cur));
  }
  memory.copy(out, parts, (<usize>m) << 2);
  return m;
}

// Min-heap of u64 (rank << 32 | position): the smallest is the lowest rank, then the leftmost position.
let queueLen: u32 = 0;

function push(v: u64): void {
  let i = queueLen++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pv = load<u64>(queue + ((<usize>parent) << 3));
    if (pv <= v) break;
    store<u64>(queue + ((<usize>i) << 3), pv);
    i = parent;
  }
  store<u64>(queue + ((<usize>i) << 3), v);
}

function pop(): u64 {
  const top = load<u64>(queue);
  const v = load<u64>(queue + ((<usize>--queueLen) << 3));
  let i: u32 = 0;
  while (true) {
    const l: u32 = 2 * i + 1;
    if (l >= queueLen) break;
    let c = l;
    let cv = load<u64>(queue + ((<usize>l) << 3));
    if (l + 1 < queueLen) {
      const rv = load<u64>(queue + ((<usize>(l + 1)) << 3));
      if (rv < cv) {
        c = l + 1;
        cv = rv;
      }
    }
    if (v <= cv) break;
    store<u64>(queue + ((<usize>i) << 3), cv);
    i = c;
  }
  store<u64>(queue + ((<usize>i) << 3), v);
  return top;
}

const NONE: u32 = 0xffffffff;

function bpeLong(p: usize, n: u32, out: usize): u32 {
  queueLen = 0;
  for (let i: u32 = 0; i < n; i++) {
    store<u32>(parts + ((<usize>i) << 2), load<u32>(byteIds + ((<usize>load<u8>(p + i)) << 2)));
    store<u32>(nextOf + ((<usize>i) << 2), i + 1 < n ? i + 1 : NONE);
    store<u32>(prevOf + ((<usize>i) << 2), i > 0 ? i - 1 : NONE);
  }
  for (let i: u32 = 0; i + 1 < n; i++) {
    const m = mergeOf(load<u32>(parts + ((<usize>i) << 2)), load<u32>(parts + ((<usize>(i + 1)) << 2)));
    if (m != NO_MERGE) push((m & 0xffffffff00000000) | <u64>i);
  }
  while (queueLen > 0) {
    const e = pop();
    const pos = <u32>e;
    const rank = <u32>(e >> 32);
    const left = load<u32>(parts + ((<usize>pos) << 2));
    const nxt = load<u32>(nextOf + ((<usize>pos) << 2));
    // an entry is stale when its left part was absorbed or its pair changed since it was pushed
    if (left == NONE || nxt == NONE) continue;
    const m = mergeOf(left, load<u32>(parts + ((<usize>nxt) << 2)));
    if (m == NO_MERGE || <u32>(m >> 32) != rank) continue;
    const merged = <u32>m;
    store<u32>(parts + ((<usize>pos) << 2), merged);
    store<u32>(parts + ((<usize>nxt) << 2), NONE);
    const after = load<u32>(nextOf + ((<usize>nxt) << 2));
    store<u32>(nextOf + ((<usize>pos) << 2), after);
    if (after != NONE) {
      store<u32>(prevOf + ((<usize>after) << 2), pos);
      const r = mergeOf(merged, load<u32>(parts + ((<usize>after) << 2)));
      if (r != NO_MERGE) push((r & 0xffffffff00000000) | <u64>pos);
    }
    const before = load<u32>(prevOf + ((<usize>pos) << 2));
    if (before != NONE) {
      const r = mergeOf(load<u32>(parts + ((<usize>before) << 2)), merged);
      if (r != NO_MERGE) push((r & 0xffffffff00000000) | <u64>before);
    }
  }
  let count: u32 = 0;
  for (let i: u32 = 0; i != NONE; i = load<u32>(nextOf + ((<usize>i) << 2))) {
    store<u32>(out + ((<usize>count) << 2), load<u32>(parts + ((<usize>i) << 2)));
    count++;
  }
  return count;
}
