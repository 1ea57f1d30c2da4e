// Masked-LM batches over a shard set: packed sequences in a per-epoch shuffled order, masked dynamically or
// statically, each a pure function of (seed, epoch, sequence), so iteration can restart at any DataPosition.
//
// B = batch size (sequences), T = sequence length (tokens).
import { type MaskSettings, maskSequence } from './masking.js';
import { Packing, type PackingFormat } from './packing.js';
import { CounterRng, Domain, permutation } from './random.js';
import type { ShardSet } from './shards.js';

export interface SpecialIds {
  cls: number;
  sep: number;
  pad: number;
  mask: number;
}

export interface MlmBatch {
  batchSize: number;
  seqLength: number;
  /** B x T ids after masking. */
  inputIds: Int32Array;
  /** B x T: 1 for real tokens (`<s>` and `</s>` included), 0 for padding. */
  attentionMask: Int32Array;
  /** Flat indices into B x T of the positions to predict, ascending. */
  maskedPositions: Int32Array;
  /** The original ids at maskedPositions. */
  maskedLabels: Int32Array;
}

/** Where a run continues: `sequence` counts sequences already fed in `epoch` (positions in that epoch's order). */
export interface DataPosition {
  epoch: number;
  sequence: number;
}

export interface MlmBatchOptions {
  seqLength: number;
  batchSize: number;
  seed: number;
  specials: SpecialIds;
  vocabSize: number;
  /** Default 'full-sentences'. */
  format?: PackingFormat;
  /** Default 'dynamic'. */
  masking?: 'dynamic' | 'static';
  /** Default 0.15. */
  maskProbability?: number;
  /** Static masking's duplication factor: epoch e uses mask copy e % staticDuplication. Default 10. */
  staticDuplication?: number;
  /** Default { epoch: 0, sequence: 0 }. */
  start?: DataPosition;
  /** Shuffle sequence order per epoch; default true. */
  shuffle?: boolean;
  /** Stop after this many epochs (the last batch may then be smaller); default: never stop. */
  epochs?: number;
  /** More ids that are never masked nor drawn as random tokens (e.g. `<unk>`, `<|endoftext|>`). */
  excludeFromRandom?: readonly number[];
}

function check(ok: boolean, field: string, expected: string, got: unknown): void {
  if (!ok) throw new RangeError(`mlmBatches: ${field} must be ${expected}, got ${JSON.stringify(got)}`);
}

/** Sequences per epoch for these settings (what a trainer needs to turn steps into epochs). */
export function sequenceCount(set: ShardSet, seqLength: number, format: PackingFormat = 'full-sentences'): number {
  return new Packing(set, seqLength, format).numSequences;
}

export function* mlmBatches(
  set: ShardSet,
  options: MlmBatchOptions,
): Generator<{ batch: MlmBatch; next: DataPosition }> {
  const { seqLength: T, batchSize: B, seed, specials, vocabSize } = options;
  const format = options.format ?? 'full-sentences';
  const masking = options.masking ?? 'dynamic';
  const probability = options.maskProbability ?? 0.15;
  const duplication = options.staticDuplication ?? 10;
  check(Number.isInteger(B) && B >= 1, 'batchSize', 'a whole number >= 1', B);
  check(Number.isInteger(seed) && seed >= 0, 'seed', 'a whole number >= 0', seed);
  check(probability >= 0 && probability <= 1, 'maskProbability', 'in [0, 1]', probability);
  check(Number.isInteger(duplication) && duplication >= 1, 'staticDuplication', 'a whole number >= 1', duplication);
  check(
    format === 'full-sentences' || format === 'doc-sentences',
    'format',
    "'full-sentences' or 'doc-sentences'",
    format,
  );
  check(masking === 'dynamic' || masking === 'static', 'masking', "'dynamic' or 'static'", masking);
  for (const [role, id] of Object.entries(specials))
    check(
      Number.isInteger(id) && id >= 0 && id < vocabSize,
      `specials.${role}`,
      `an id below vocabSize ${vocabSize}`,
      id,
    );
  const packing = new Packing(set, T, format);
  const N = packing.numSequences;
  if (N === 0) throw new Error(`mlmBatches: the ${set.split} split has no tokens to make sequences from`);
  let { epoch, sequence } = options.start ?? { epoch: 0, sequence: 0 };
  check(Number.isInteger(epoch) && epoch >= 0, 'start.epoch', 'a whole number >= 0', epoch);
  check(Number.isInteger(sequence) && sequence >= 0 && sequence < N, 'start.sequence', `in [0, ${N})`, sequence);
  const settings: MaskSettings = {
    probability,
    maskId: specials.mask,
    vocabSize,
    special: new Set([specials.cls, specials.sep, specials.pad, specials.mask, ...(options.excludeFromRandom ?? [])]),
  };
  const shuffle = options.shuffle ?? true;
  let orderEpoch = -1;
  let order: Uint32Array = new Uint32Array(0);
  const orderOf = (e: number): Uint32Array => {
    if (e !== orderEpoch) {
      order = shuffle ? permutation(N, seed, Domain.shuffle, e) : Uint32Array.from({ length: N }, (_, i) => i);
      orderEpoch = e;
    }
    return order;
  };
  const scratch = new Int32Array(T);

  for (;;) {
    if (options.epochs !== undefined && epoch >= options.epochs) return;
    const rows: { epoch: number; id: number }[] = [];
    while (rows.length < B) {
      rows.push({ epoch, id: orderOf(epoch)[sequence] as number });
      if (++sequence === N) {
        epoch++;
        sequence = 0;
        if (options.epochs !== undefined && epoch >= options.epochs) break;
      }
    }
    const b = rows.length;
    const inputIds = new Int32Array(b * T);
    const attentionMask = new Int32Array(b * T);
    const positions: number[] = [];
    const labels: number[] = [];
    rows.forEach((r, i) => {
      const row = inputIds.subarray(i * T, (i + 1) * T);
      const length = packing.fill(r.id, row, specials.cls, specials.sep, specials.pad);
      attentionMask.fill(1, i * T, i * T + length);
      const rng =
        masking === 'dynamic'
          ? new CounterRng(seed, Domain.dynamicMask, r.epoch, r.id)
          : new CounterRng(seed, Domain.staticMask, r.epoch % duplication, r.id);
      maskSequence(row, length, rng, settings, scratch, positions, labels, i * T);
    });
    const batch: MlmBatch = {
      batchSize: b,
      seqLength: T,
      inputIds,
      attentionMask,
      maskedPositions: Int32Array.from(positions),
      maskedLabels: Int32Array.from(labels),
    };
    yield { batch, next: { epoch, sequence } };
  }
}
