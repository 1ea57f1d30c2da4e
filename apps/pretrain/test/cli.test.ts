// robusta-pretrain as users run it (node dist/main.js): --help, argument errors, --config FILE, --resume never|DIR,
// --max-minutes, --backend auto (and its fallback to tfjs cpu when the addon does not load), and fill-mask.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/backend.js';
import { PRESETS } from '../src/config.js';
import { fillMaskFromCheckpoint } from '../src/fill-mask.js';
import {
  checkpointName,
  type Exit,
  metricsOf,
  range,
  runCli,
  sotuShards,
  TEST_BACKEND,
  type TrainLine,
  tempDir,
  trainUpdates,
  type ValidLine,
} from './support.js';

const VOCAB = 400;
let work = '';
let shards = '';
beforeAll(async () => {
  work = await tempDir('cli');
  shards = await sotuShards(work, { years: /^19[89]\d_.*\.txt$/, count: 6, vocabSize: VOCAB, validFraction: 0.34 });
});

/** A one-layer H32 model on 4 x 32 tokens: a few updates take a second. */
function trainArgs(run: string, ...extra: string[]): string[] {
  return [
    ...['--data', shards, '--out', run, '--backend', TEST_BACKEND],
    ...['--set', 'model.hiddenSize=32', '--set', 'model.intermediateSize=64', '--set', 'model.numHiddenLayers=1'],
    ...['--seq-length', '32', '--batch-size', '4', '--warmup-updates', '2', '--valid-batches', '2'],
    ...extra,
  ];
}

function expectOk(r: Exit): void {
  expect(r.signal, r.out).toBeNull();
  expect(r.code, r.out).toBe(0);
}

const trainLines = async (run: string) =>
  (await metricsOf(run)).filter((r): r is TrainLine => r.kind === 'train').map((r) => [r.update, r.loss]);
const validLines = async (run: string) => (await metricsOf(run)).filter((r): r is ValidLine => r.kind === 'valid');
const regexQuote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('robusta-pretrain --help and argument errors', () => {
  it('--help, -h and no arguments print the usage with every flag and field, and exit 0', async () => {
    for (const argv of [['--help'], ['-h'], []]) {
      const r = await runCli(argv);
      expectOk(r);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^usage: robusta-pretrain --data SHARDS --out RUN /);
      expect(r.stdout).toContain('robusta-pretrain fill-mask --checkpoint DIR [--top K] [--backend B]');
      for (const flag of ['--config FILE', '--set KEY=VALUE', '--resume auto|never|DIR', '--backend auto|robusta|cpu'])
        expect(r.stdout).toContain(flag);
      expect(r.stdout).toContain('--max-minutes N');
      const fields = /^Fields: (.*)$/m.exec(r.stdout)?.[1]?.split(', ');
      expect(fields).toEqual(Object.keys(PRESETS.tiny));
      expect(r.stdout).toContain('a second Ctrl-C exits at once');
    }
  });

  it('stray arguments, missing values and unknown options are errors (exit 2) that say what was wrong', async () => {
    const out = join(await tempDir('cli-errors'), 'run');
    const base = ['--data', shards, '--out', out];
    const cases: [string[], string][] = [
      [[...base, 'extra'], "unexpected argument 'extra' (options are --name value; see --help)"],
      [[...base, '--max-updates', '5', 'extra'], "unexpected argument 'extra'"],
      [['--data', shards, '--out'], '--out needs a value'],
      [[...base, '--set', 'peakLr'], "--set expects KEY=VALUE, got 'peakLr'"],
      [[...base, '--learning-rate', '1'], "command line: unknown field 'learning-rate'"],
      [[...base, '--max-minutes', '-1'], "config: 'maxMinutes' must be >= 0, got -1"],
      [[...base, '--resume'], '--resume needs a value'],
      [['fill-mask', 'The <mask>.'], 'fill-mask needs --checkpoint DIR'],
      [['fill-mask', '--checkpoint', out], 'fill-mask needs at least one text with <mask>'],
      [
        ['fill-mask', '--checkpoint', out, '--top', '0', 'a <mask>'],
        "fill-mask: --top must be a whole number >= 1, got '0'",
      ],
      [
        ['fill-mask', '--checkpoint', out, '--top', 'five', 'a <mask>'],
        "fill-mask: --top must be a whole number >= 1, got 'five'",
      ],
      [['fill-mask', '--checkpoint', out, '--topk', '3', 'a <mask>'], 'fill-mask: unknown option --topk'],
      [
        ['fill-mask', '--checkpoint', out, '--backend', 'gpu', 'a <mask>'],
        "fill-mask: --backend must be one of 'auto', 'robusta', 'cpu', got 'gpu'",
      ],
    ];
    // concurrently: each is a Node start and the imports, and nothing to compute
    const results = await Promise.all(cases.map(([argv]) => runCli(argv)));
    for (const [i, [argv, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, `${argv.join(' ')}\n${r.out}`).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain(`robusta-pretrain: ${message}`);
      expect(r.stdout, argv.join(' ')).toBe('');
    }
    expect(existsSync(out), 'no run folder is made before the arguments are checked').toBe(false);
  });
});

describe(`robusta-pretrain runs (${TEST_BACKEND})`, () => {
  it('--config FILE: its fields apply over the preset, the command line over the file; the run uses and saves them', async () => {
    const dir = await tempDir('cli-config');
    const file = join(dir, 'run.json');
    await writeFile(
      file,
      JSON.stringify({ maxUpdates: 4, peakLr: 1e-3, seed: 7, validEvery: 2, model: { numAttentionHeads: 4 } }),
    );
    const run = join(dir, 'run');
    const r = await runCli(trainArgs(run, '--config', file, '--peak-lr', '2e-3'));
    expectOk(r);
    expect(r.out).toMatch(/^model: tiny L1 H32 A4 V400, /m);
    expect(r.out).toMatch(/done at update 4\b/);
    const saved = JSON.parse(await readFile(join(run, 'pretrain-config.json'), 'utf8'));
    expect(saved).toMatchObject({ maxUpdates: 4, peakLr: 2e-3, seed: 7, validEvery: 2, seqLength: 32 });
    expect(saved.resolvedModel).toMatchObject({ numAttentionHeads: 4, hiddenSize: 32, vocabSize: VOCAB });
    // the schedule the optimizer ran: warmup 2 to the command line's peak 2e-3, then down to 0 at update 4
    const lrs = (await metricsOf(run)).filter((x): x is TrainLine => x.kind === 'train').map((x) => x.lr);
    expect(lrs.map((x) => +x.toPrecision(6))).toEqual([1e-3, 2e-3, 1e-3, 0]);
    expect((await validLines(run)).map((v) => v.update)).toEqual([0, 2, 4]);
    const state = JSON.parse(await readFile(join(run, 'checkpoints', checkpointName(4), 'trainer_state.json'), 'utf8'));
    expect(state).toMatchObject({ update: 4, seed: 7, config: { peakLr: 2e-3, maxUpdates: 4 } });
  });

  it('a bad --config file is an error (exit 2) naming the file and the field', async () => {
    const dir = await tempDir('cli-bad-config');
    const cases: [string, string, (file: string) => string][] = [
      ['rate.json', '{"peakLr": "fast"}', (f) => `${f}: 'peakLr' must be a number, got "fast"`],
      ['field.json', '{"learningRate": 1}', (f) => `${f}: unknown field 'learningRate'`],
      ['model.json', '{"model": {"hidden": 64}}', (f) => `${f}: unknown model field 'hidden'`],
      ['enum.json', '{"format": "pairs"}', (f) => `${f}: 'format' must be one of 'full-sentences'`],
      ['list.json', '[1, 2]', (f) => `${f}: expected a JSON object of config fields`],
      ['torn.json', '{"peakLr": 1e-3', (f) => `${f}: `],
      ['absent.json', '', (f) => `${f}: ENOENT`],
    ];
    const runs = cases.map(async ([name, text]) => {
      const file = join(dir, name);
      if (text) await writeFile(file, text);
      return runCli(['--data', shards, '--out', join(dir, `run-${name}`), '--config', file]);
    });
    const results = await Promise.all(runs);
    for (const [i, [name, , message]] of cases.entries()) {
      const file = join(dir, name);
      const run = join(dir, `run-${name}`);
      const r = results[i]!;
      expect(r.code, r.out).toBe(2);
      expect(r.stderr).toContain(`robusta-pretrain: ${message(file)}`);
      expect(existsSync(run)).toBe(false);
    }
  });

  describe('--resume', () => {
    let first = '';
    let losses: number[][] = [];
    beforeAll(async () => {
      first = join(work, 'resume-first');
      const r = await runCli(trainArgs(first, '--max-updates', '6', '--checkpoint-every', '3', '--keep-last', '0'));
      expectOk(r);
      losses = await trainLines(first);
      expect(losses.map(([u]) => u)).toEqual(range(1, 6));
      for (const u of [3, 6])
        expect(existsSync(join(first, 'checkpoints', checkpointName(u), 'manifest.json'))).toBe(true);
    });

    it('--resume DIR continues from that checkpoint (not the newest) and repeats the same updates', async () => {
      const run = join(work, 'resume-dir');
      await cp(first, run, { recursive: true });
      const from = join(run, 'checkpoints', checkpointName(3));
      const r = await runCli(trainArgs(run, '--max-updates', '6', '--checkpoint-every', '3', '--resume', from));
      expectOk(r);
      expect(r.out).toContain(`resumed from ${from} at update 3`);
      expect(r.out).toMatch(/done at update 6\b/);
      // the metrics past the checkpoint were dropped and trained again, on the same batches, masks and dropout
      expect(await trainLines(run)).toEqual(losses);
    });

    it('--resume never starts over in place: the same run from scratch, metrics rewritten, not appended', async () => {
      const run = join(work, 'resume-never');
      await cp(first, run, { recursive: true });
      const r = await runCli(trainArgs(run, '--max-updates', '6', '--checkpoint-every', '3', '--resume', 'never'));
      expectOk(r);
      expect(r.out).toContain('starting from scratch');
      expect(r.out).not.toContain('resumed from');
      expect(await trainLines(run)).toEqual(losses);
      expect((await validLines(run)).map((v) => v.update)).toEqual([0, 6]);
    });

    it('--resume DIR of a folder that is not a complete checkpoint is an error naming it, before any training', async () => {
      const run = join(work, 'resume-bad');
      const from = join(work, 'not-a-checkpoint');
      await mkdir(from);
      const r = await runCli(trainArgs(run, '--max-updates', '6', '--resume', from));
      expect(r.code, r.out).toBe(1);
      expect(r.stderr).toContain(`cannot resume from ${from}: `);
      expect(await trainUpdates(run)).toEqual([]);
    });

    it('--resume auto with another --seed is an error naming the checkpoint and both seeds', async () => {
      const run = join(work, 'resume-seed');
      await cp(first, run, { recursive: true });
      const r = await runCli(trainArgs(run, '--max-updates', '8', '--seed', '2'));
      // a ConfigError: the run's settings contradict the checkpoint's, as a bad option would
      expect(r.code, r.out).toBe(2);
      const newest = join(run, 'checkpoints', checkpointName(6));
      expect(r.stderr).toContain(`${newest}: trained with seed 1, this run asks for 2; resume needs the same seed`);
      expect(await trainLines(run)).toEqual(losses);
    });

    it('fill-mask prints the top k of each <mask>, as the library computes them on the same backend', async () => {
      const ckpt = join(first, 'checkpoints', checkpointName(6));
      const texts = ['The <mask> of the Union is strong.', 'We <mask> to the <mask> of America.'];
      const r = await runCli(['fill-mask', '--checkpoint', ckpt, '--top', '4', '--backend', TEST_BACKEND, ...texts]);
      expectOk(r);
      expect(r.stderr).toContain(`backend: ${TEST_BACKEND} (`);
      const blocks = r.stdout.trimEnd().split(/\n(?=\S)/);
      expect(blocks.map((b) => b.split('\n')[0])).toEqual(texts);
      const printed = blocks.map((b) =>
        b
          .split('\n')
          .slice(1)
          .map((line, i) => {
            expect(line).toMatch(new RegExp(`^  <mask> #${i + 1}: `));
            return [...line.matchAll(/("(?:[^"\\]|\\.)*") (\d+\.\d)%/g)].map((m) => ({
              token: JSON.parse(m[1]!) as string,
              percent: Number(m[2]),
            }));
          }),
      );
      expect(printed.map((masks) => masks.length)).toEqual([1, 2]);
      for (const list of printed.flat()) {
        expect(list).toHaveLength(4);
        const p = list.map((x) => x.percent);
        expect(p).toEqual([...p].sort((a, b) => b - a));
        expect(p.reduce((a, b) => a + b)).toBeLessThanOrEqual(100 + 4 * 0.05);
        expect(p[3]).toBeGreaterThan(0);
      }
      // the same predictions from the library, over the whole vocabulary: a distribution, its top 4 as printed
      await selectBackend(TEST_BACKEND);
      const all = await fillMaskFromCheckpoint(ckpt, texts, VOCAB);
      expect(all.map((res) => res.masks.length)).toEqual([1, 2]);
      for (const [t, res] of all.entries())
        for (const [m, list] of res.masks.entries()) {
          expect(list).toHaveLength(VOCAB);
          expect(list.reduce((a, x) => a + x.probability, 0)).toBeCloseTo(1, 4);
          for (let i = 1; i < list.length; i++)
            expect(list[i]!.probability).toBeLessThanOrEqual(list[i - 1]!.probability);
          const top = list
            .slice(0, 4)
            .map((x) => ({ token: x.token, percent: Number((x.probability * 100).toFixed(1)) }));
          expect(top).toEqual(printed[t]![m]);
        }
    });
  });

  it('--max-minutes stops by the clock: a last validation and a checkpoint at the update it reached, exit 0', async () => {
    const run = join(work, 'max-minutes');
    const limits = ['--max-updates', '100000', '--warmup-updates', '10', '--max-minutes', '0.05']; // 3 s
    const r = await runCli(trainArgs(run, ...limits, '--valid-every', '0', '--checkpoint-every', '0'));
    expectOk(r);
    const m = /stopped at update (\d+) in (\d+)s; valid loss [\d.]+, perplexity [\d.]+ -> loss [\d.]+/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    const [at, seconds] = [Number(m![1]), Number(m![2])];
    expect(at).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThan(60);
    expect(r.out).toContain('resume with the same command (--resume auto)');
    expect(await trainUpdates(run)).toEqual(range(1, at));
    // validation at the start, and the one that a time-boxed run adds when it stops
    expect((await validLines(run)).map((v) => v.update)).toEqual([0, at]);
    expect(r.out).toContain(`valid @ ${at}: loss`);
    const state = JSON.parse(
      await readFile(join(run, 'checkpoints', checkpointName(at), 'trainer_state.json'), 'utf8'),
    );
    expect(state.update).toBe(at);
    expect(state.elapsedSeconds).toBeGreaterThan(0);
  });
});

describe('--backend auto', () => {
  it("picks 'robusta' when @robusta/native loads, else tfjs cpu saying why; both train to the same losses", async () => {
    const native = await import('@robusta/native');
    const c = native.capabilities();
    const dir = await tempDir('cli-auto');
    const args = (run: string) =>
      trainArgs(run, '--backend', 'auto', '--max-updates', '3', '--valid-every', '0', '--warmup-updates', '1');

    const withAddon = await runCli(args(join(dir, 'native')));
    expectOk(withAddon);
    const detail = `${c.isa}, ${c.threads} threads, OpenBLAS ${c.openblas ? 'yes' : 'no'}, CUDA ${c.cuda}`;
    expect(withAddon.out).toContain(`backend: robusta (${detail})\n`);

    // a real failed load, not a simulated one: the addon is looked for in an empty build folder
    const empty = join(dir, 'no-build');
    await mkdir(empty);
    const env = { ROBUSTA_NATIVE_BUILD_DIR: empty };
    const withoutAddon = await runCli(args(join(dir, 'fallback')), { env });
    expectOk(withoutAddon);
    expect(withoutAddon.out).toMatch(
      new RegExp(
        `^backend: cpu \\(tfjs cpu \\(slow\\): @robusta/native did not load: .*no compiled addon could be loaded` +
          `[^]*${regexQuote(join(empty, 'Release', 'robusta_native.node'))} \\(from \\$ROBUSTA_NATIVE_BUILD_DIR\\): not found`,
        'm',
      ),
    );
    expect(withoutAddon.out).toMatch(/done at update 3\b/);
    // tfjs cpu is the reference here: the same init, batches, masks and dropout give the same losses within rounding
    const a = await metricsOf(join(dir, 'native'));
    const b = await metricsOf(join(dir, 'fallback'));
    expect(b.map((x) => [x.kind, x.update])).toEqual(a.map((x) => [x.kind, x.update]));
    expect(a.filter((x) => x.kind === 'train')).toHaveLength(3);
    for (const [i, x] of a.entries()) expect(b[i]!.loss).toBeCloseTo(x.loss, 3);

    // --backend robusta does not fall back: it stops and says why and what to do
    const insisted = await runCli(trainArgs(join(dir, 'insisted'), '--backend', 'robusta', '--max-updates', '3'), {
      env,
    });
    expect(insisted.code, insisted.out).toBe(1);
    expect(insisted.stderr).toContain('--backend robusta: @robusta/native did not load (');
    expect(insisted.stderr).toContain(join(empty, 'Release', 'robusta_native.node'));
    expect(insisted.stderr).toContain('or pass --backend cpu');
    expect(await trainUpdates(join(dir, 'insisted'))).toEqual([]);
  });
});
