import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getKernelsForBackend } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kernelConfigs } from './index.js';

describe('kernel registry', () => {
  it('src/register_all_kernels.ts lists every file of src/kernels/ (regenerate with the build)', () => {
    const script = fileURLToPath(new URL('../scripts/gen-kernel-registry.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
  it("registers each kernel for the 'robusta' backend under its tfjs name", () => {
    const names = getKernelsForBackend('robusta').map((k) => k.kernelName);
    expect(new Set(names).size).toBe(kernelConfigs.length);
    for (const k of ['Add', 'Multiply', 'Cast', 'Reshape', 'Erf']) expect(names).toContain(k);
  });
});
