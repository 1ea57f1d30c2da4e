// Test support, not public API: random valid BpeModels for the formats' round-trip property tests.
import type { BpeModel } from '../src/model.js';
import { rng } from './random-text.js';

/**
 * A random valid model: a shuffled subset of bytes, merges joining random existing tokens, id holes, and specials
 * (some spelled in the alphabet, whose ids then carry their bytes; some not, whose ids have none).
 */
export function randomModel(seed: number): BpeModel {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const tokens: (Uint8Array | undefined)[] = [];
  const known = new Set<string>();
  const addToken = (b: Uint8Array | undefined) => {
    if (r() < 0.1) tokens.push(undefined); // a hole
    tokens.push(b);
    return tokens.length - 1;
  };
  const byteCount = 2 + Math.floor(r() * 30);
  for (let i = 0; i < byteCount; i++) {
    const b = Uint8Array.of(Math.floor(r() * 256));
    if (known.has(String(b))) continue;
    known.add(String(b));
    addToken(b);
  }
  const merges: number[] = [];
  const mergeCount = Math.floor(r() * 40);
  for (let i = 0; i < mergeCount; i++) {
    const ids = tokens.flatMap((t, id) => (t ? [id] : []));
    const a = pick(ids);
    const b = pick(ids);
    const joined = Uint8Array.from([...(tokens[a] as Uint8Array), ...(tokens[b] as Uint8Array)]);
    if (known.has(String(joined)) || merges.some((_, j) => j % 3 === 0 && merges[j] === a && merges[j + 1] === b))
      continue;
    known.add(String(joined));
    merges.push(a, b, addToken(joined));
  }
  const specialTokens = [];
  for (const content of ['<s>', '</s>', '<|\u00e9\u4e2d|>', '<mask>', 'x y'].filter(() => r() < 0.6)) {
    const bytes = content.includes(' ') || content.includes('\u4e2d') ? undefined : new TextEncoder().encode(content);
    if (bytes && known.has(String(bytes))) continue;
    specialTokens.push({ id: addToken(bytes), content });
  }
  return { tokens, merges: Uint32Array.from(merges), specialTokens };
}
