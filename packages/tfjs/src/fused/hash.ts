// The one seed-mixing finalizer of every stateless random stream (dropout masks here, data order, masking and dropout
// seeds in @robusta/train): masks of resumed runs and old checkpoints depend on its exact outputs.

/**
 * murmur3's 32-bit finalizer: a bijection with full avalanche. Inputs are taken modulo 2^32 (as JavaScript's bitwise
 * operators take them), so a sum of two 32-bit values may be passed as is.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
