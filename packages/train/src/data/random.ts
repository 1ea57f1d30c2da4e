// Stateless randomness: every draw is a hash of (key, counter), so any epoch's order or any sequence's mask can be
// recomputed from the seed alone and a resumed run needs no saved RNG state (fairseq's (seed, epoch, index) rule).
import { fmix32 } from '@robusta/tfjs';

/** Folds whole numbers (each below 2^53) into one 32-bit key. */
export function hashKey(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4_294_967_296) >>> 0;
    h = fmix32(h ^ fmix32(lo + 0x6a09e667));
    h = fmix32(h ^ fmix32(hi + 0xbb67ae85));
  }
  return h;
}

/** Draws from a key: draw n is a hash of (key, n), computed on demand (a counter-based generator). */
export class CounterRng {
  private counter = 0;
  private readonly key: number;

  constructor(...key: number[]) {
    this.key = hashKey(...key);
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const c = this.counter++;
    // two rounds so that neighbouring counters give unrelated outputs
    return fmix32(fmix32(this.key ^ Math.imul(c, 0x9e3779b1)) + c);
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67_108_864 + lo) / 9_007_199_254_740_992;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Domains keep the streams of shuffling and masking apart even when their numbers coincide. */
export const Domain = { shuffle: 1, dynamicMask: 2, staticMask: 3, pair: 4 } as const;

/** A permutation of 0..n-1 fixed by the key (Fisher-Yates). */
export function permutation(n: number, ...key: number[]): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const rng = new CounterRng(...key);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}
