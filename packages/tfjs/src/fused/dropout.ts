// The attention dropout mask as a pure function of (seed, element index): a resumed run or a backward pass
// recomputes exactly the mask the forward used, on any backend. native/src/core/cpu/fused_dropout.h is its twin.
import { fmix32 } from './hash.js';

/** Splits a non-negative safe-integer seed into its low and high 32 bits; throws on anything else. */
export function splitSeed(seed: number): [lo: number, hi: number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`attention dropout: seed must be a non-negative safe integer, got ${seed}`);
  }
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** The key of one 2^32-element block of indices: mixes both seed halves and the block number. */
export function dropoutKey(seedLo: number, seedHi: number, block: number): number {
  const k = fmix32((seedHi ^ 0x85ebca6b) >>> 0);
  return fmix32((seedLo ^ fmix32((block ^ k ^ 0xc2b2ae35) >>> 0)) >>> 0);
}

/** 24 random bits for element `lo` (low 32 bits of the index) of the block whose key is `key`. */
export function dropoutBits(key: number, lo: number): number {
  return fmix32((fmix32((lo ^ key) >>> 0) + 0x9e3779b9) >>> 0) >>> 8;
}

/** Elements whose 24 random bits are below this are dropped: keep iff bits / 2^24 >= rate. */
export function dropoutThreshold(rate: number): number {
  if (!(rate >= 0 && rate < 1)) throw new Error(`attention dropout: rate must be in [0, 1), got ${rate}`);
  return Math.ceil(rate * 16777216);
}

/** The multiplier of a kept element, rounded to float32 as every backend applies it. */
export function dropoutScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}

/** The mask (0 or the keep scale) of `count` consecutive elements starting at index 0, as float32. */
export function dropoutMask(rate: number, seed: number, count: number): Float32Array {
  const [seedLo, seedHi] = splitSeed(seed);
  const threshold = dropoutThreshold(rate);
  const scale = dropoutScale(rate);
  const out = new Float32Array(count);
  let block = -1;
  let key = 0;
  for (let i = 0; i < count; i++) {
    const b = Math.floor(i / 4294967296);
    if (b !== block) {
      block = b;
      key = dropoutKey(seedLo, seedHi, b);
    }
    out[i] = dropoutBits(key, i >>> 0) >= threshold ? scale : 0;
  }
  return out;
}
