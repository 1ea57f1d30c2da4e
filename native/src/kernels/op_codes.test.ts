// The op code enums: generated files fresh, and each name at the same code in the JSON, the TS enums and the addon.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { native } from '../addon.js';
import * as tsEnums from './op_codes.js';

const source = JSON.parse(readFileSync(new URL('../core/op_codes.json', import.meta.url), 'utf8')) as Record<
  string,
  string[]
>;

/** `code name` lines in code order, for readable diffs. */
const byCode = (codes: Record<string, number>): string[] =>
  Object.entries(codes)
    .filter(([name]) => Number.isNaN(Number(name))) // a TS enum maps codes back to names too
    .sort((a, b) => a[1] - b[1])
    .map(([name, code]) => `${code} ${name}`);

describe('op codes', () => {
  it('src/core/op_codes.h and src/kernels/op_codes.ts are fresh (regenerate with the build)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-op-codes.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('every enum of the JSON exists in the TS enums and in the compiled addon, and no other', () => {
    const names = Object.keys(source).sort();
    expect(Object.keys(native.opCodes()).sort()).toEqual(names);
    expect(Object.keys(tsEnums).sort()).toEqual(names);
  });

  it.each(Object.keys(source))('%s: each name has the same code in the JSON, the TS enum and the addon', (name) => {
    const want = (source[name] as string[]).map((op, code) => `${code} ${op}`);
    expect(byCode(native.opCodes()[name] as Record<string, number>)).toEqual(want);
    expect(
      byCode((tsEnums as unknown as Record<string, Record<string, number>>)[name] as Record<string, number>),
    ).toEqual(want);
  });
});
