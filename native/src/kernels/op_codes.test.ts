// The elementwise op codes: generated files fresh, and each op's name at the same code in JSON, TS and the addon.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { native } from '../addon.js';
import { BinaryOp, UnaryOp } from './elementwise.js';

const source = JSON.parse(readFileSync(new URL('../core/elementwise_ops.json', import.meta.url), 'utf8')) as {
  unary: string[];
  binary: string[];
};

describe('elementwise op codes', () => {
  it('src/core/elementwise_ops.h and src/kernels/elementwise_ops.ts are fresh (regenerate with the build)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-elementwise-ops.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it.each([
    ['unary', UnaryOp],
    ['binary', BinaryOp],
  ] as const)('%s: each op has the same code in the JSON list, the TS enum and the compiled addon', (kind, tsEnum) => {
    const compiled = native.elementwiseOps()[kind];
    const ts = tsEnum as unknown as Record<string | number, string | number>;
    const byCode = (name: (code: number) => unknown) => source[kind].map((_, code) => `${code} ${name(code)}`);
    const want = byCode((code) => source[kind][code]);
    expect(byCode((code) => compiled[code])).toEqual(want);
    expect(byCode((code) => ts[code])).toEqual(want);
    expect(compiled).toHaveLength(source[kind].length);
    for (const [code, name] of source[kind].entries()) expect(ts[name]).toBe(code);
  });
});
