// What tokens/s counts in a batch: the data module's MlmBatch, which is what one training step consumes.
import type { MlmBatch } from '../data/batches.js';

/** Non-padding tokens in a batch (what tokens/s counts). */
export function realTokens(b: MlmBatch): number {
  let n = 0;
  for (let i = 0; i < b.attentionMask.length; i++) n += b.attentionMask[i]!;
  return n;
}
