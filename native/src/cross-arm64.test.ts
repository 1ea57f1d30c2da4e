// The linux-arm64-gnu build (scripts/cross-build.mjs) run under qemu-aarch64: the C++ core tests pass, and an arm64
// Node (scripts/arm64-node.mjs) loads the addon and runs a matMul on 'robusta' that matches float64
// (scripts/smoke.mjs). Without qemu, the cross build or the arm64 Node it skips, saying which is missing and how to
// get it; on CI, where .ci/run makes all three, their absence fails. What the binary links: linkage.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirement } from '@robusta/test-kit';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD = join(PACKAGE_ROOT, 'build-linux-arm64');
const ADDON = join(BUILD, 'Release', 'robusta_native.node');
const CORE_TESTS = join(BUILD, 'robusta_core_tests');
/** The arm64 root qemu-aarch64 -L maps absolute paths into: glibc, libstdc++ and Node 18 from Debian's arm64 debs. */
const ARM64_ROOT = join(BUILD, 'node-root');
const ARM64_NODE = join(ARM64_ROOT, 'usr', 'bin', 'node');
// qemu runs roughly 5-10x slower than the host: the smoke run takes ~5 s, the core tests ~1 s
const QEMU_TIMEOUT_MS = 120_000;

function missing(): string | null {
  const qemu = spawnSync('qemu-aarch64', ['--version']);
  if (qemu.error) return `qemu-aarch64 is not on PATH (${qemu.error.message}); apt-get install qemu-user`;
  if (!existsSync(ADDON) || !existsSync(CORE_TESTS))
    return `no cross build (${ADDON}, ${CORE_TESTS}); apt-get install g++-aarch64-linux-gnu, then npm run build:linux-arm64 -w @robusta/native`;
  if (!existsSync(ARM64_NODE)) return `no arm64 Node (${ARM64_NODE}); node scripts/arm64-node.mjs in native/`;
  return null;
}

function underQemu(program: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = performance.now();
  const run = spawnSync('qemu-aarch64', ['-L', ARM64_ROOT, program, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: QEMU_TIMEOUT_MS,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return { run, seconds };
}

describe('linux-arm64-gnu under qemu-aarch64', () => {
  const ready = requirement('the linux-arm64-gnu cross build, qemu-user and an arm64 Node', missing());

  it.skipIf(!ready)('the C++ core tests pass (CUDA and OpenBLAS cases skip: neither is in the arm64 root)', () => {
    const { run, seconds } = underQemu(CORE_TESTS, []);
    console.log(`arm64 core tests under qemu: ${seconds} s\n${run.stdout.trim()}`);
    const summary = run.stdout.match(/^(\d+) passed, (\d+) failed/m);
    expect(summary, `no summary line; ended with ${run.status ?? run.signal}: ${run.stderr}`).not.toBeNull();
    expect(run.stdout.match(/^FAIL .*$/gm) ?? [], 'failed cases').toEqual([]);
    expect(Number(summary?.[2])).toBe(0);
    for (const suite of ['allocator', 'thread_pool', 'shape', 'gemm'])
      expect(run.stdout, `a passing case of the '${suite}' suite`).toMatch(new RegExp(`^ok {4}${suite}\\.`, 'm'));
    expect(run.status, run.stderr).toBe(0);
  });

  it.skipIf(!ready)(
    "an arm64 Node loads the addon and a matMul on 'robusta' matches float64 (scripts/smoke.mjs)",
    () => {
      const { run, seconds } = underQemu(ARM64_NODE, ['scripts/smoke.mjs'], { ROBUSTA_NATIVE_BUILD_DIR: BUILD });
      console.log(`arm64 smoke under qemu: ${seconds} s\n${run.stdout.trim()}`);
      expect(run.status, `ended with ${run.status ?? run.signal}: ${run.stderr}`).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
      expect(report).toMatchObject({ arch: 'arm64', backend: 'robusta', ok: true });
      expect(report.capabilities.isa).toBe('aarch64 (NEON)');
      expect(report.maxRelError).toBeLessThan(1e-4);
    },
  );
});
