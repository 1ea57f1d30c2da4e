// Merge rules as an open-addressing hash table: (left id, right id) -> (rank, result id).

const EMPTY: u64 = 0xffffffffffffffff;

let keys: usize = 0; // u64 per slot: left << 32 | right
let values: usize = 0; // u64 per slot: rank << 32 | result
let mask: u32 = 0;

// @ts-ignore: decorator
@inline
function slotOf(key: u64): u32 {
  return <u32>((key * 0x9e3779b97f4a7c15) >> 32) & mask;
}

/** Builds the table from `count` (left, right, result) u32 triples in rank order; a repeated pair keeps its first rank. */
export function buildMerges(triples: usize, count: u32): void {
  if (keys != 0) {
    heap.free(keys);
    heap.free(values);
  }
  let cap: u32 = 16;
  while (cap < count * 2) cap <<= 1;
  mask = cap - 1;
  keys = heap.alloc(<usize>cap << 3);
  values = heap.alloc(<usize>cap << 3);
  memory.fill(keys, 0xff, <usize>cap << 3);
  for (let r: u32 = 0; r < count; r++) {
    const t = triples + <usize>r * 12;
    const key = (<u64>load<u32>(t) << 32) | <u64>load<u32>(t + 4);
    let s = slotOf(key);
    while (true) {
      const k = load<u64>(keys + (<usize>s << 3));
      if (k == EMPTY) {
        store<u64>(keys + (<usize>s << 3), key);
        store<u64>(values + (<usize>s << 3), (<u64>r << 32) | <u64>load<u32>(t + 8));
        break;
      }
      if (k == key) break;
      s = (s + 1) & mask;
    }
  }
}

/** rank << 32 | result for the pair, or all ones when the pair never merges. */
// @ts-ignore: decorator
@inline
export function mergeOf(left: u32, right: u32): u64 {
  const key = (<u64>left << 32) | <u64>right;
  let s = slotOf(key);
  while (true) {
    const k = load<u64>(keys + (<usize>s << 3));
    if (k == key) return load<u64>(values + (<usize>s << 3));
    if (k == EMPTY) return EMPTY;
    s = (s + 1) & mask;
  }
}

export const NO_MERGE: u64 = EMPTY;
