// Bounded direct-mapped cache of encoded pieces: frequent words skip BPE. Memory: 64 bytes per slot, fixed at setup.
// Slot layout: u32 hash (0 = empty), u8 length, u8 id count, 2 spare, 24 piece bytes, 8 u32 ids.

export const MAX_PIECE: u32 = 24;
export const MAX_IDS: u32 = 8;

let slots: usize = 0;
let slotMask: u32 = 0;
let enabled = false;

/** Allocates 2^log2 slots (0 disables the cache). */
export function setupCache(log2: u32): void {
  if (slots != 0) heap.free(slots);
  slots = 0;
  enabled = log2 > 0;
  if (!enabled) return;
  const n: u32 = 1 << log2;
  slotMask = n - 1;
  slots = heap.alloc(<usize>n << 6);
  memory.fill(slots, 0, <usize>n << 6);
}

/** Hash of a piece, never 0. */
// @ts-ignore: decorator
@inline
export function hashPiece(p: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5 ^ n;
  for (let i: u32 = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 0x01000193;
  return h | 1;
}

/** Copies the cached ids of the piece to out and returns their count, or 0 on a miss. */
// @ts-ignore: decorator
@inline
export function lookup(p: usize, n: u32, h: u32, out: usize): u32 {
  if (!enabled || n > MAX_PIECE) return 0;
  const s = slots + (<usize>((h ^ (h >> 15)) & slotMask) << 6);
  if (load<u32>(s) != h || <u32>load<u8>(s + 4) != n) return 0;
  if (memory.compare(s + 8, p, n) != 0) return 0;
  const count = <u32>load<u8>(s + 5);
  memory.copy(out, s + 32, <usize>count << 2);
  return count;
}

/** Remembers the ids of a piece, replacing whatever held its slot. */
// @ts-ignore: decorator
@inline
export function remember(p: usize, n: u32, h: u32, ids: usize, count: u32): void {
  if (!enabled || n > MAX_PIECE || count > MAX_IDS) return;
  const s = slots + (<usize>((h ^ (h >> 15)) & slotMask) << 6);
  store<u32>(s, h);
  store<u8>(s + 4, <u8>n);
  store<u8>(s + 5, <u8>count);
  memory.copy(s + 8, p, n);
  memory.copy(s + 32, ids, <usize>count << 2);
}
