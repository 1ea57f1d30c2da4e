// The model a worker receives is the model the pool sent: flattened and rebuilt, holes included.
import { describe, expect, it } from 'vitest';
import type { BpeModel } from './model.js';
import { packModel, unpackModel } from './pool-protocol.js';

describe('packModel', () => {
  it('packs a model into flat bytes and back, holes included', () => {
    const m: BpeModel = {
      tokens: [Uint8Array.of(1), undefined, Uint8Array.of(2, 3), new Uint8Array(0)],
      merges: Uint32Array.of(0, 2, 3),
      specialTokens: [{ id: 1, content: '<s>' }],
    };
    const back = unpackModel(packModel(m));
    expect(back.tokens.map((t) => (t ? Array.from(t) : t))).toEqual([[1], undefined, [2, 3], []]);
    expect(Array.from(back.merges)).toEqual([0, 2, 3]);
    expect(back.specialTokens).toEqual(m.specialTokens);
  });
});
