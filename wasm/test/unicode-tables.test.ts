// Checks the generated class tables inside the compiled core against Node's regex for every code point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const wasm = readFileSync(new URL('../build/bpe.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(wasm, { env: { abort: () => {} } });
const exports = instance.exports as unknown as { charClass(cp: number): number; unicodeVersion(): number };

const L = /\p{L}/u;
const N = /\p{N}/u;
const WS = /\p{White_Space}/u;

function expected(cp: number): number {
  const s = String.fromCodePoint(cp);
  if (WS.test(s)) return 3;
  if (L.test(s)) return 1;
  if (N.test(s)) return 2;
  return 0;
}

describe('unicode class tables', () => {
  it(`were generated from this Node's Unicode (${process.versions.unicode})`, () => {
    const [major, minor] = (process.versions.unicode ?? '0.0').split('.').map(Number);
    expect(exports.unicodeVersion()).toBe((major as number) * 100 + (minor as number));
  });
  it('agree with \\p{L}, \\p{N}, \\p{White_Space} for every code point', () => {
    const wrong: string[] = [];
    const counts = [0, 0, 0, 0];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const want = expected(cp);
      counts[want]! += 1;
      if (exports.charClass(cp) !== want && wrong.length < 10) wrong.push(`U+${cp.toString(16)}`);
    }
    expect(wrong).toEqual([]);
    // sanity: the classes are all populated (Unicode 15+ has > 130K letters, 25 White_Space code points)
    expect(counts[1]).toBeGreaterThan(130_000);
    expect(counts[3]).toBe(25);
  });
});
