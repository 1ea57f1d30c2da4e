// What one training step consumes: the shape of the data module's MlmBatch, restated so the trainer stands alone.
// B batch, T tokens, N masked positions.

export interface TrainBatch {
  batchSize: number;
  seqLength: number;
  /** [B*T] token ids */
  inputIds: Int32Array;
  /** [B*T] 1 real token, 0 padding */
  attentionMask: Int32Array;
  /** [N] flat indices into B*T of the tokens to predict */
  maskedPositions: Int32Array;
  /** [N] the original ids at those positions */
  maskedLabels: Int32Array;
  /** [B] next-sentence labels (1 = B follows A) of the pair formats; their loss is added to the MLM loss. */
  nspLabels?: Int32Array;
}

/** Where the data stream stands: the next sequence of an epoch. */
export interface StreamPosition {
  epoch: number;
  sequence: number;
}

/** Non-padding tokens in a batch (what tokens/s counts). */
export function realTokens(b: TrainBatch): number {
  let n = 0;
  for (let i = 0; i < b.attentionMask.length; i++) n += b.attentionMask[i]!;
  return n;
}
