// Plain TypeScript reference for the WebAssembly core: GPT-2's pre-tokenizer as a JS regex and pair-merge BPE.
// Slow and obvious on purpose; the fast core is tested against it on random inputs.
import type { BpeModel } from './model.js';

/**
 * GPT-2's pattern. `\s` is written as `\p{White_Space}`: tiktoken (Rust regex) and HF tokenizers use Unicode's
 * White_Space property, while JavaScript's `\s` adds U+FEFF and drops U+0085.
 */
export const GPT2_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

/** Splits text into GPT-2 pre-tokens. */
export function pretokenize(text: string): string[] {
  return text.match(GPT2_PATTERN) ?? [];
}

/** Lookup tables a reference encoder needs, built once per model. */
export interface ReferenceTables {
  byteIds: Uint32Array;
  mergeRank: Map<string, { rank: number; result: number }>;
}

export function referenceTables(model: BpeModel): ReferenceTables {
  const byteIds = new Uint32Array(256).fill(0xffffffff);
  model.tokens.forEach((t, id) => {
    if (t && t.length === 1 && byteIds[t[0] as number] === 0xffffffff) byteIds[t[0] as number] = id;
  });
  const mergeRank = new Map<string, { rank: number; result: number }>();
  for (let r = 0; r * 3 < model.merges.length; r++) {
    const key = `${model.merges[3 * r]},${model.merges[3 * r + 1]}`;
    if (!mergeRank.has(key)) mergeRank.set(key, { rank: r, result: model.merges[3 * r + 2] as number });
  }
  return { byteIds, mergeRank };
}

/** BPE over one piece's bytes: repeatedly merge the adjacent pair with the lowest merge rank (leftmost on ties). */
export function bpePiece(bytes: Uint8Array, t: ReferenceTables): number[] {
  const parts = Array.from(bytes, (b) => {
    const id = t.byteIds[b] as number;
    if (id === 0xffffffff) throw new Error(`byte 0x${b.toString(16)} has no token in the vocabulary`);
    return id;
  });
  for (;;) {
    let best = -1;
    let bestRank = Number.POSITIVE_INFINITY;
    let bestResult = 0;
    for (let i = 0; i + 1 < parts.length; i++) {
      const m = t.mergeRank.get(`${parts[i]},${parts[i + 1]}`);
      if (m && m.rank < bestRank) {
        bestRank = m.rank;
        best = i;
        bestResult = m.result;
      }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, bestResult);
  }
}

/** Encodes text with no special tokens: pre-tokenize, UTF-8 each piece, BPE each piece. */
export function referenceEncode(text: string, t: ReferenceTables): number[] {
  const enc = new TextEncoder();
  const out: number[] = [];
  for (const piece of pretokenize(text)) out.push(...bpePiece(enc.encode(piece), t));
  return out;
}
