// BERT's masked-LM corruption of one sequence: choose ~p of the maskable positions, then 80% `<mask>`, 10% a random
// token, 10% unchanged; driven by a counter-based generator so the choice is a pure function of its key.
import type { CounterRng } from './random.js';

export interface MaskOptions {
  probability: number;
  maskId: number;
  vocabSize: number;
  /** Ids never chosen for masking and never drawn as random replacements (specials, padding). */
  special: ReadonlySet<number>;
}

/**
 * Corrupts row[0..length) in place. Chosen positions (ascending, as offsets from `base`) go to `positions` and their
 * original ids to `labels`; returns how many were chosen. Count = floor(p x candidates + u), as fairseq draws it, so
 * the expected rate is exactly p while short sequences still get a mask sometimes.
 */
export function maskSequence(
  row: Int32Array,
  length: number,
  rng: CounterRng,
  options: MaskOptions,
  scratch: Int32Array,
  positions: number[],
  labels: number[],
  base: number,
): number {
  let candidates = 0;
  for (let i = 0; i < length; i++) if (!options.special.has(row[i] as number)) scratch[candidates++] = i;
  const count = Math.min(candidates, Math.floor(options.probability * candidates + rng.next()));
  // partial Fisher-Yates: the first `count` slots become a uniform sample without replacement
  for (let i = 0; i < count; i++) {
    const j = i + rng.below(candidates - i);
    const t = scratch[i] as number;
    scratch[i] = scratch[j] as number;
    scratch[j] = t;
  }
  const chosen = scratch.subarray(0, count).sort();
  for (const p of chosen) {
    positions.push(base + p);
    labels.push(row[p] as number);
    const r = rng.next();
    if (r < 0.8) row[p] = options.maskId;
    else if (r < 0.9) row[p] = randomToken(rng, options);
  }
  return count;
}

function randomToken(rng: CounterRng, options: MaskOptions): number {
  if (options.special.size >= options.vocabSize) throw new RangeError('every vocabulary id is special');
  for (;;) {
    const id = rng.below(options.vocabSize);
    if (!options.special.has(id)) return id;
  }
}
