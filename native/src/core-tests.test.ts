import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The C++ core's own tests (src/core/tests): GPU kernels against their CPU twins, skipped with a reason without a GPU.
const binary = fileURLToPath(new URL('../build/robusta_core_tests', import.meta.url));

describe('C++ core tests', () => {
  it('build/robusta_core_tests passes (prints N passed, N failed)', () => {
    expect(existsSync(binary), `${binary} is built by npm run build`).toBe(true);
    const r = spawnSync(binary, [], { encoding: 'utf8', timeout: 120_000 });
    console.log(r.stdout.trim());
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.status, r.stderr).toBe(0);
  });
});
