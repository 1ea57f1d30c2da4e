// The messages between a TokenizerPool and its workers: requests, replies, and the model flattened for postMessage.
import type { BpeModel } from './model.js';
import type { PackedIds, PackRequest } from './packed.js';
import type { EncodeOptions } from './tokenizer.js';

/** A BpeModel flattened for postMessage: all token bytes in one array, so a transfer is a few buffers, not 50k. */
export interface PackedModel {
  bytes: Uint8Array;
  /** Token id's bytes are `bytes[offsets[id] .. offsets[id + 1])`; length = token count + 1. */
  offsets: Uint32Array;
  /** Ids whose entry in `tokens` is undefined (holes, special-only ids). */
  holes: Uint32Array;
  merges: Uint32Array;
  specialTokens: BpeModel['specialTokens'];
}

/**
 * Texts of one chunk. `utf8`: the texts' UTF-8 back to back in a buffer the pool reuses (the worker hands it back), so
 * no fresh memory is touched per call; text i is `bytes[ends[i - 1] .. ends[i])`, any prefix space already added.
 * `strings`: the texts themselves, for special-token policies other than `'plain'`, which match on strings.
 */
export type ChunkInput =
  | { kind: 'utf8'; bytes: Uint8Array; ends: Uint32Array; packed?: PackRequest }
  | { kind: 'strings'; texts: string[]; special: EncodeOptions['special'] };

/** Main thread -> worker. */
export type WorkerRequest =
  | {
      type: 'init';
      module: WebAssembly.Module;
      model: PackedModel;
      addPrefixSpace: boolean;
      cacheLog2: number | undefined;
    }
  | { type: 'encode'; job: number; input: ChunkInput };

/** Worker -> main thread. `ids`: one array per text, each on its own buffer, all transferred (not copied). */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; job: number; ids: Uint32Array[]; returned: Uint8Array | undefined }
  | { type: 'packed'; job: number; packed: PackedIds; returned: Uint8Array | undefined }
  | { type: 'error'; job: number | undefined; message: string; returned?: Uint8Array | undefined };

/** Flattens a model for postMessage: one byte array and offsets instead of one Uint8Array per token. */
export function packModel(model: BpeModel): PackedModel {
  const n = model.tokens.length;
  const offsets = new Uint32Array(n + 1);
  const holes: number[] = [];
  let total = 0;
  for (let id = 0; id < n; id++) {
    const t = model.tokens[id];
    if (t === undefined) holes.push(id);
    total += t?.length ?? 0;
    offsets[id + 1] = total;
  }
  const bytes = new Uint8Array(total);
  model.tokens.forEach((t, id) => {
    if (t) bytes.set(t, offsets[id] as number);
  });
  return {
    bytes,
    offsets,
    holes: Uint32Array.from(holes),
    merges: model.merges,
    specialTokens: model.specialTokens.map((s) => ({ ...s })),
  };
}

/** Rebuilds the model a worker receives; token arrays are views into the one flat buffer. */
export function unpackModel(p: PackedModel): BpeModel {
  const tokens: (Uint8Array | undefined)[] = new Array(p.offsets.length - 1);
  for (let id = 0; id < tokens.length; id++)
    tokens[id] = p.bytes.subarray(p.offsets[id] as number, p.offsets[id + 1] as number);
  for (const id of p.holes) tokens[id] = undefined;
  return { tokens, merges: p.merges, specialTokens: p.specialTokens };
}
