// The hashes shard folders depend on: a document's text hash, the train/valid split drawn from it, and the fingerprint
// of a shard's documents by which a re-run knows the shard as its own. Changing any output here moves documents
// between train and valid or makes every re-run redo every shard.

/** Bytes a document's hash looks at: all of a short one, an even sample of a long one. */
const HASH_SAMPLE = 512;

/** FNV-1a's 32-bit offset basis and prime: the byte loop of textHash is FNV-1a over the sampled bytes. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 2^32 divided by the golden ratio: spreads neighbouring seeds over all 32 bits of the start value. */
const GOLDEN_GAMMA = 0x9e3779b1;

/**
 * The first half of murmur3's fmix32 (shift, multiply, shift), not @robusta/tfjs's whole fmix32: it carries FNV's
 * well-mixed high bits into the low ones, which is all a split by threshold and a fingerprint need, and its outputs
 * decide which documents existing shard folders hold out, so the full finaliser would move documents between train and
 * valid and make a re-run redo every shard.
 */
function fmix32FirstHalf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * A 32-bit hash of a document's UTF-8 bytes for the train/valid split and the resume fingerprint. Long documents are
 * sampled (length + 512 evenly spaced bytes) because hashing every byte cost as much as 15% of tokenizing.
 */
export function textHash(doc: Uint8Array, seed: number): number {
  let h = (FNV_OFFSET ^ Math.imul(seed | 0, GOLDEN_GAMMA) ^ doc.length) >>> 0;
  const step = Math.max(1, Math.floor(doc.length / HASH_SAMPLE));
  for (let i = 0; i < doc.length; i += step) h = Math.imul(h ^ (doc[i] as number), FNV_PRIME);
  return fmix32FirstHalf(h);
}

export type Split = 'train' | 'valid';

/**
 * XORed into a document's hash before the split compares it: any fixed value would do, and this one (murmur2's
 * multiplier) is the one existing shard folders were split with.
 */
const SPLIT_SALT = 0x5bd1e995;

/**
 * `valid` when the salted hash, as a fraction of 2^32, falls below `validFraction`: that share of documents on
 * average, the same whatever the file order, and equal texts always on the same side.
 */
export function splitOf(hash: number, validFraction: number): Split {
  return ((hash ^ SPLIT_SALT) >>> 0) / 4_294_967_296 < validFraction ? 'valid' : 'train';
}

/** Where the fingerprint's two lanes start: SHA-256's first two initial words, nonzero with nothing up their sleeve. */
const FINGERPRINT_START = [0x6a09e667, 0xbb67ae85] as const;

/**
 * The multiplier of the lane that follows lengths: murmur3's first constant, odd (so each step loses nothing) and not
 * the hash lane's FNV prime, so the two lanes do not move in step.
 */
const LENGTH_MULTIPLIER = 0x85ebca6b;

/**
 * What a shard's documents are, in order: one lane folds in their text hashes, the other their lengths and positions,
 * and the count and bytes are spelled out. Equal fingerprints mean the same documents, barring a 64-bit collision.
 */
export class DocumentFingerprint {
  documents = 0;
  bytes = 0;
  private hashLane: number = FINGERPRINT_START[0];
  private lengthLane: number = FINGERPRINT_START[1];

  add(hash: number, bytes: number): void {
    this.bytes += bytes;
    this.documents++;
    this.hashLane = Math.imul(this.hashLane ^ hash, FNV_PRIME) >>> 0;
    this.lengthLane = Math.imul(this.lengthLane ^ (bytes + this.documents), LENGTH_MULTIPLIER) >>> 0;
  }

  /** `<16 hex digits>-<documents>-<bytes>`, as done-records store it. */
  toString(): string {
    const hex = (lane: number) => lane.toString(16).padStart(8, '0');
    return `${hex(this.hashLane)}${hex(this.lengthLane)}-${this.documents}-${this.bytes}`;
  }
}
