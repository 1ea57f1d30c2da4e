// Stateless seeds: every dropout stream is a pure function of (run seed, update, micro-batch), so resume replays it.
import { fmix32 } from '@robusta/tfjs';

/** Mixes integers into one 31-bit seed (murmur3's body per word, then its finalizer). */
export function mixSeed(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h) >>> 1;
}
