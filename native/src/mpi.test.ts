// MPI collectives across processes: 2 and 3 ranks under mpirun (and a world of one without it) run
// test/mpi/rank.mjs, whose rank-dependent inputs go through every collective; the sums expected here are computed
// independently. Without MPI (ROBUSTA_MPI=off, or a path that does not load) the addon still loads and says why.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirement } from '@robusta/test-kit';
import { describe, expect, it } from 'vitest';
import { mpiStatus } from './mpi.js';

const NATIVE = fileURLToPath(new URL('..', import.meta.url));
const RANK_SCRIPT = fileURLToPath(new URL('../test/mpi/rank.mjs', import.meta.url));
const ABORT_SCRIPT = fileURLToPath(new URL('../test/mpi/abort.mjs', import.meta.url));
const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const TIMEOUT_MS = 60_000;
const RESULT = 'MPI-RANK-RESULT ';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (SIGTERM after TIMEOUT_MS: mpirun then stops its ranks too). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: NATIVE, env, timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** mpirun's arguments for `size` ranks of `script`. */
const mpirunArgs = (size: number, script: string) => [
  '--allow-run-as-root',
  '--oversubscribe',
  '-np',
  String(size),
  process.execPath,
  script,
];

/** Why the multi-process tests cannot run here, or null. */
async function mpiMissing(): Promise<string | null> {
  const st = mpiStatus();
  if (!st.available) return st.reason ?? 'libmpi did not load';
  const v = await run('mpirun', ['--version']).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  if (v.code !== 0) return `mpirun cannot run (${v.stderr.trim() || `exit ${v.code}`})`;
  return null;
}

const shapes: Record<string, number[]> = { 'a.weight': [2, 3], 'a.bias': [4], 'b.weight': [3, 2, 2] };

/** What rank `rank` of `size` must print: every sum over ranks of the inputs rank.mjs makes. */
function expected(rank: number, size: number) {
  const ranks = Array.from({ length: size }, (_, r) => r);
  const sum = (f: (r: number) => number) => ranks.reduce((s, r) => s + f(r), 0);
  const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  const ones = sum((r) => r + 1);
  return {
    rank,
    size,
    threadLevel: 'multiple',
    f32: range(7, (i) => sum((r) => r * 1000 + i)),
    f64: range(5, (i) => sum((r) => r + i + 0.5)),
    i32: [sum((r) => r), sum((r) => -r), 7 * size],
    max: [size - 1, 0],
    partial: [ones, ones, rank + 1, rank + 1],
    storage: [ones, 2 * size, 3 * size, 4 * size],
    large: { min: ones, max: ones },
    bytes: [1, 2, 3, 4, 5, 6],
    last: [(size - 1) * 1.5],
    badRoot: `broadcast: root ${size} is not a rank of this world of ${size}`,
    badType: 'mpiAllReduceSum: expected a Float32Array, Float64Array, Int32Array or Storage',
    badCount: 'mpiAllReduceSum: count 3 but the buffer holds 2 elements',
    grads: Object.fromEntries(
      Object.entries(shapes).map(([name, shape], k) => [
        name,
        {
          shape,
          values: range(
            shape.reduce((x, y) => x * y),
            (i) => sum((r) => r * 100 + k * 10 + i),
          ),
        },
      ]),
    ),
    gradOrder: Object.keys(shapes),
    inputsDisposed: size > 1,
    inputsReturned: size === 1,
    weights: { w: { dtype: 'float32', values: [0.5, 1.5, 2.5] }, k: { dtype: 'int32', values: [0, 0] } },
    weightsKept: true,
    finalized: true,
  };
}

/** The JSON line of each rank, by rank. */
function results(ran: Ran): Record<string, unknown>[] {
  const lines = ran.stdout.split('\n').filter((l) => l.startsWith(RESULT));
  return lines.map((l) => JSON.parse(l.slice(RESULT.length))).sort((a, b) => a.rank - b.rank);
}

function checkRun(ran: Ran, size: number): void {
  const context = `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
  expect(ran.code, context).toBe(0);
  const got = results(ran);
  expect(
    got.map((g) => g.rank),
    context,
  ).toEqual(Array.from({ length: size }, (_, r) => r));
  const localRanks = got.map((g) => g.localRank).sort();
  expect(localRanks, 'one node: local ranks are the ranks').toEqual(Array.from({ length: size }, (_, r) => r));
  for (const g of got) expect(g).toMatchObject(expected(g.rank as number, size));
}

const mpiOff = /^off$/i.test(process.env.ROBUSTA_MPI ?? '');
const missing = mpiOff ? null : await mpiMissing();

describe('MPI collectives across processes (OpenMPI)', () => {
  if (mpiOff) {
    console.log('MPI tests across processes skipped: ROBUSTA_MPI=off, its absence is checked instead');
    return;
  }
  if (!requirement('OpenMPI (openmpi-bin libopenmpi3)', missing)) return;

  it('the built package exists (npm run build makes dist/)', () => {
    expect(existsSync(DIST_INDEX), DIST_INDEX).toBe(true);
  });

  for (const size of [2, 3]) {
    it(
      `${size} ranks under mpirun: sums, max, broadcasts and the gradient buckets equal the expected values`,
      async () => {
        const started = Date.now();
        const ran = await run('mpirun', mpirunArgs(size, RANK_SCRIPT));
        console.log(`mpirun -np ${size}: ${Date.now() - started} ms`);
        checkRun(ran, size);
      },
      TIMEOUT_MS + 5_000,
    );
  }

  it(
    'mpiAbort on rank 1 ends the job, rank 0 stuck in a barrier included, with its code',
    async () => {
      const ran = await run('mpirun', mpirunArgs(2, ABORT_SCRIPT));
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(3);
      expect(ran.stdout).toContain('MPI-ABORT rank 1 aborting');
      expect(ran.stdout).not.toContain('passed the barrier');
    },
    TIMEOUT_MS + 5_000,
  );

  it(
    'a world of one without mpirun (OpenMPI singleton)',
    async () => {
      checkRun(await run(process.execPath, [RANK_SCRIPT]), 1);
    },
    TIMEOUT_MS + 5_000,
  );
});

/** Runs a node snippet against the built package under `mpiSetting` and returns what it printed as JSON. */
async function withoutMpi(mpiSetting: string) {
  const snippet = `
    const m = await import(${JSON.stringify(DIST_INDEX)});
    const status = m.mpiStatus();
    const threads = m.capabilities().threads;
    const init = await m.mpiInit().then(() => 'initialized', (e) => e.message);
    const collective = await m.MpiCollective.create().then(() => 'created', (e) => e.message);
    const finalize = await m.mpiFinalize().then(() => 'resolved', (e) => e.message);
    console.log(JSON.stringify({ status, threads, init, collective, finalize }));`;
  const ran = await run(process.execPath, ['--input-type=module', '-e', snippet], {
    ...process.env,
    ROBUSTA_MPI: mpiSetting,
  });
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout.trim().split('\n').at(-1) as string);
}

describe('without MPI, the addon loads and says why', () => {
  it('ROBUSTA_MPI=off: a status naming the switch; init rejects with it; finalize is a no-op', async () => {
    const got = await withoutMpi('off');
    expect(got.status).toEqual({ available: false, reason: 'refused by ROBUSTA_MPI=off', initialized: false });
    expect(got.threads).toBeGreaterThan(0);
    expect(got.init).toBe('MPI is not loaded: refused by ROBUSTA_MPI=off');
    expect(got.collective).toBe(got.init);
    expect(got.finalize).toBe('resolved');
  });

  it('a libmpi that does not load (as on a machine without OpenMPI): the loader message, the addon still works', async () => {
    const got = await withoutMpi('/nonexistent/libmpi.so.40');
    expect(got.status.available).toBe(false);
    expect(got.status.reason).toMatch(/^ROBUSTA_MPI=\/nonexistent\/libmpi\.so\.40 could not be loaded \(.+\)$/);
    expect(got.threads).toBeGreaterThan(0);
    expect(got.init).toContain('MPI is not loaded: ROBUSTA_MPI=/nonexistent/libmpi.so.40 could not be loaded');
  });
});
