// Checkpoint atomicity and discovery: a save killed midway (no manifest, truncated or corrupted file) never hides
// the previous checkpoint; keep-last-N; model, optimizer and state round-trip exactly.
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import { configFromPreset, loadPretrained, RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../test-support/backend.js';
import { MANIFEST_FILE } from '../data/format.js';
import {
  findLatestCheckpoint,
  loadOptimizerState,
  OPTIMIZER_FILE,
  readTrainerState,
  saveCheckpoint,
  TRAINER_STATE_FILE,
  type TrainerState,
} from './checkpoint.js';
import { AdamW } from './optimizer.js';

beforeAll(async () => {
  await useTestBackend();
});

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'robusta-ckpt-'));
  dirs.push(d);
  return d;
}

const config = configFromPreset('tiny', {
  vocabSize: 50,
  hiddenSize: 16,
  intermediateSize: 32,
  maxPositionEmbeddings: 20,
});
function stateAt(update: number): TrainerState {
  return {
    format: 'robusta-trainer-state/1',
    update,
    position: { epoch: 0, sequence: update * 4 },
    seed: 7,
    tokens: update * 100,
    elapsedSeconds: update,
    lossScale: null,
    config: { preset: 'tiny' },
  };
}

async function setup(root: string, updates: number[], keepLast = 0) {
  const model = new RobertaForMaskedLM(config, { seed: 1 });
  const opt = new AdamW(model.variables);
  const tokFile = join(root, 'tokenizer.json');
  await writeFile(tokFile, '{"fake": true}\n');
  const saved: string[] = [];
  for (const u of updates) {
    // make each checkpoint's moments distinct, so a load proves which one it read
    for (const m of opt.m.values()) tf.tidy(() => m.assign(tf.fill(m.shape, u)));
    saved.push(
      await saveCheckpoint(join(root, 'checkpoints'), {
        model,
        optimizer: opt,
        state: stateAt(u),
        extraFiles: [{ name: 'tokenizer.json', path: tokFile }],
        keepLast,
      }),
    );
  }
  return { model, opt, saved };
}

describe('checkpoints', () => {
  it('round-trips model, optimizer moments, trainer state and tokenizer files', async () => {
    const root = await tempDir();
    const { model, opt, saved } = await setup(root, [3]);
    const dir = saved[0]!;
    expect((await readdir(dir)).sort()).toEqual(
      [
        'config.json',
        MANIFEST_FILE,
        'model.safetensors',
        OPTIMIZER_FILE,
        'tokenizer.json',
        'trainer_state.json',
      ].sort(),
    );
    const again = await loadPretrained(dir, { head: 'mlm' });
    for (const [n, v] of model.variables) expect(again.variables.get(n)!.dataSync()).toEqual(v.dataSync());
    const opt2 = new AdamW(again.variables);
    await loadOptimizerState(dir, opt2);
    expect(opt.m.size).toBe(model.variables.size);
    for (const [n, m] of opt.m) expect(opt2.m.get(n)!.dataSync()).toEqual(m.dataSync());
    for (const [n, v] of opt.v) expect(opt2.v.get(n)!.dataSync()).toEqual(v.dataSync());
    expect(await readTrainerState(dir)).toEqual(stateAt(3));
    expect(await readFile(join(dir, 'tokenizer.json'), 'utf8')).toBe('{"fake": true}\n');
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.files['model.safetensors'].sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const x of [model, again]) x.dispose();
    opt.dispose();
    opt2.dispose();
  });

  it('rejects a trainer state of another format, and optimizer moments of another model, with FormatErrors', async () => {
    const root = await tempDir();
    const { model, opt, saved } = await setup(root, [2]);
    const dir = saved[0]!;
    await writeFile(join(dir, TRAINER_STATE_FILE), JSON.stringify({ ...stateAt(2), format: 'other/1' }));
    await expect(readTrainerState(dir)).rejects.toThrow(FormatError);
    await expect(readTrainerState(dir)).rejects.toThrow(/format 'other\/1', expected robusta-trainer-state\/1/);
    const other = new RobertaForMaskedLM({ ...config, intermediateSize: 48 });
    const opt2 = new AdamW(other.variables);
    const error = await loadOptimizerState(dir, opt2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).source).toBe(join(dir, OPTIMIZER_FILE));
    for (const x of [model, other]) x.dispose();
    opt.dispose();
    opt2.dispose();
  });

  it('resume picks the newest complete one: no manifest, a truncated file, a flipped byte are all skipped', async () => {
    const root = await tempDir();
    const { saved } = await setup(root, [1, 2, 3, 4]);
    const ckpt = join(root, 'checkpoints');
    expect((await findLatestCheckpoint(ckpt)).dir).toBe(saved[3]);
    // a kill before the manifest: the directory exists (as if renamed by a foreign tool) but has no manifest
    await rm(join(saved[3]!, MANIFEST_FILE));
    // a kill while a file was being written: shorter than the manifest says
    const w = join(saved[2]!, 'model.safetensors');
    await truncate(w, 100);
    // a corrupted byte of the same length
    const o = join(saved[1]!, OPTIMIZER_FILE);
    const bytes = await readFile(o);
    bytes[bytes.length - 1]! ^= 0xff;
    await writeFile(o, bytes);
    const found = await findLatestCheckpoint(ckpt);
    expect(found.dir).toBe(saved[0]);
    expect(found.skipped).toHaveLength(3);
    expect(found.skipped[0]).toMatch(/manifest.json: missing/);
    expect(found.skipped[1]).toMatch(/model.safetensors: 100 bytes, the manifest says \d+ \(truncated\?\)/);
    expect(found.skipped[2]).toMatch(/optimizer.safetensors: sha256 differs/);
    // and the survivor loads: its moments are the ones written at update 1
    const m = await loadPretrained(found.dir!, { head: 'mlm' });
    const opt = new AdamW(m.variables);
    await loadOptimizerState(found.dir!, opt);
    for (const moment of opt.m.values()) expect(new Set(moment.dataSync())).toEqual(new Set([1]));
    expect(await readTrainerState(found.dir!)).toEqual(stateAt(1));
    opt.dispose();
    m.dispose();
  });

  it('ignores a temp directory left by a killed save, and cleans it up on the next save', async () => {
    const root = await tempDir();
    await setup(root, [5]);
    const ckpt = join(root, 'checkpoints');
    const stale = join(ckpt, '.tmp-checkpoint-6-999999');
    await mkdir(stale);
    await writeFile(join(stale, 'model.safetensors'), 'half');
    expect((await findLatestCheckpoint(ckpt)).dir).toMatch(/checkpoint-00000005$/);
    await setup(root, [7], 2);
    expect((await readdir(ckpt)).sort()).toEqual(['checkpoint-00000005', 'checkpoint-00000007']);
  });

  it('keeps the last N complete checkpoints', async () => {
    const root = await tempDir();
    await setup(root, [1, 2, 3, 4, 5], 2);
    expect((await readdir(join(root, 'checkpoints'))).sort()).toEqual(['checkpoint-00000004', 'checkpoint-00000005']);
  });
});
