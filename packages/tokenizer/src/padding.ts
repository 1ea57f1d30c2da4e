// Right-padding of model encodings, one at a time or a batch to a common length, as HF `tokenizers` pads.
import type { ModelEncoding } from './template.js';

/** `longest`: to the longest encoding (of the batch, or the main window of one encoding); `max_length`: to maxLength. */
export type PaddingStrategy = 'longest' | 'max_length';

export interface PaddingOptions {
  padding: PaddingStrategy;
  /** Required for `max_length`. */
  maxLength?: number;
  /** Round the padded length up to a multiple of this (e.g. 8 for tensor cores). */
  padToMultipleOf?: number;
  padId: number;
}

/** The length `encodings` are padded to: HF counts only the main windows for `longest`, never the overflowing ones. */
export function paddedLength(encodings: readonly ModelEncoding[], options: PaddingOptions): number {
  let length: number;
  if (options.padding === 'max_length') {
    const { maxLength } = options;
    if (maxLength === undefined || !Number.isInteger(maxLength) || maxLength < 0) {
      throw new Error(`padding: 'max_length' needs maxLength as a non-negative integer, got ${maxLength}`);
    }
    length = maxLength;
  } else {
    length = 0;
    for (const e of encodings) length = Math.max(length, e.inputIds.length);
  }
  const multiple = options.padToMultipleOf ?? 0;
  if (!Number.isInteger(multiple) || multiple < 0) {
    throw new Error(`padding: padToMultipleOf must be a non-negative integer, got ${multiple}`);
  }
  return multiple > 0 && length % multiple > 0 ? length + multiple - (length % multiple) : length;
}

/**
 * Pads an encoding and each of its overflowing windows on the right to `length` with `padId`: attention mask 0,
 * offsets [0, 0], sequence id -1 and, as in HF, special-tokens mask 1. Longer ones are left as they are.
 */
export function padEncoding(encoding: ModelEncoding, length: number, padId: number): ModelEncoding {
  const overflowing = encoding.overflowing.map((o) => padEncoding(o, length, padId));
  const n = encoding.inputIds.length;
  if (n >= length) return { ...encoding, overflowing };
  const grow = <T extends Int32Array | Uint8Array | Int8Array | Uint32Array>(src: T, out: T, fill: number): T => {
    out.set(src);
    out.fill(fill, src.length);
    return out;
  };
  return {
    inputIds: grow(encoding.inputIds, new Int32Array(length), padId),
    attentionMask: grow(encoding.attentionMask, new Uint8Array(length), 0),
    specialTokensMask: grow(encoding.specialTokensMask, new Uint8Array(length), 1),
    offsets: grow(encoding.offsets, new Uint32Array(2 * length), 0),
    sequenceIds: grow(encoding.sequenceIds, new Int8Array(length), -1),
    overflowing,
  };
}

/** Pads every encoding of a batch (and their overflowing windows) to one length; HF `encode_batch` with padding. */
export function padBatch(encodings: readonly ModelEncoding[], options: PaddingOptions): ModelEncoding[] {
  const length = paddedLength(encodings, options);
  return encodings.map((e) => padEncoding(e, length, options.padId));
}
