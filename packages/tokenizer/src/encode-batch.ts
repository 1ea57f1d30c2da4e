// One-shot batch encoding: a pool started, used once and closed.
import type { BpeModel } from './model.js';
import { type PoolOptions, TokenizerPool } from './pool.js';
import type { EncodeOptions, Tokenizer } from './tokenizer.js';

export interface BatchOptions extends PoolOptions, EncodeOptions {}

/**
 * One-shot batch encoding: starts a pool, encodes, closes it. For repeated batches keep a TokenizerPool instead
 * (starting workers and installing the model costs about as much as encoding a megabyte).
 */
export async function encodeBatch(
  source: Tokenizer | BpeModel,
  texts: readonly string[],
  options: BatchOptions = {},
): Promise<Uint32Array[]> {
  // a one-shot call waits for its result anyway: a single worker would only add the start-up
  const workers = options.workers === undefined ? undefined : options.workers <= 1 ? 0 : options.workers;
  const pool = await TokenizerPool.create(source, workers === undefined ? options : { ...options, workers });
  try {
    return await pool.encodeBatch(texts, options.special === undefined ? {} : { special: options.special });
  } finally {
    await pool.close();
  }
}
