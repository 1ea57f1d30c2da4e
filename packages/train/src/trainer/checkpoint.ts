// Checkpoint directories: HF model + optimizer moments + trainer state + tokenizer files, made atomic by a temp
// directory, fsyncs, a sha256 manifest written last and a rename; keep-last-N; newest-complete discovery for resume.
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, syncDir, writeFileAtomic } from '@robusta/cli-kit';
import { type RobertaForMaskedLM, SafetensorsReader, savePretrained, writeSafetensors } from '@robusta/model';
import type { DataPosition } from '../data/batches.js';
import { MANIFEST_FILE } from '../data/format.js';
import { sha256FileAsync } from '../sha256.js';
import type { AdamW } from './optimizer.js';

export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const TRAINER_STATE_FILE = 'trainer_state.json';
const PREFIX = 'checkpoint-';
const TMP_PREFIX = '.tmp-checkpoint-';

/** Everything besides tensors that a resumed run needs to continue exactly where this one stopped. */
export interface TrainerState {
  format: 'robusta-trainer-state/1';
  /** Updates applied. */
  update: number;
  /** The data stream's position after the last consumed micro-batch. */
  position: DataPosition;
  /** Run seed: dropout and masking are pure functions of it (and of update / position), so no RNG state is saved. */
  seed: number;
  /** Non-padding tokens trained on so far. */
  tokens: number;
  elapsedSeconds: number;
  /** No loss scaling yet (fp32 training); kept so mixed precision can fill it in without a format change. */
  lossScale: number | null;
  /** The resolved run configuration, as saved in the run folder. */
  config: unknown;
}

export interface Manifest {
  format: 'robusta-checkpoint/1';
  update: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

export function checkpointName(update: number): string {
  return `${PREFIX}${String(update).padStart(8, '0')}`;
}

export interface SaveCheckpointOptions {
  model: RobertaForMaskedLM;
  optimizer: AdamW;
  state: TrainerState;
  /** Files copied in beside the model (tokenizer.json, vocab.json, merges.txt), by name in the checkpoint. */
  extraFiles?: { name: string; path: string }[];
  /** Complete checkpoints to keep, newest first; 0 keeps all. */
  keepLast?: number;
}

/** Writes `root/checkpoint-<update>` atomically and returns its path. */
export async function saveCheckpoint(root: string, o: SaveCheckpointOptions): Promise<string> {
  await mkdir(root, { recursive: true });
  const name = checkpointName(o.state.update);
  const tmp = join(root, `${TMP_PREFIX}${o.state.update}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  await savePretrained(o.model, tmp);
  await writeSafetensors(join(tmp, OPTIMIZER_FILE), o.optimizer.stateTensors(), { metadata: { format: 'pt' } });
  await writeFileAtomic(join(tmp, TRAINER_STATE_FILE), `${JSON.stringify(o.state, null, 2)}\n`);
  // not copyFile: it does not fsync
  for (const f of o.extraFiles ?? []) await writeFileAtomic(join(tmp, f.name), await readFile(f.path));
  const manifest: Manifest = { format: 'robusta-checkpoint/1', update: o.state.update, files: {} };
  for (const f of (await readdir(tmp)).sort()) {
    if (f.startsWith('.')) continue;
    const p = join(tmp, f);
    manifest.files[f] = { bytes: (await stat(p)).size, sha256: await sha256FileAsync(p) };
  }
  // last: a directory without a manifest is by definition incomplete, whatever else it holds
  await writeFileAtomic(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const final = join(root, name);
  // re-saving a step (a resumed run stopped at once) replaces the old copy; the new one is complete already
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  syncDir(root);
  if (o.keepLast && o.keepLast > 0) await pruneCheckpoints(root, o.keepLast);
  return final;
}

/** Checkpoint directories by update, newest first (complete or not). */
export async function listCheckpoints(root: string): Promise<{ update: number; dir: string }[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => ({ update: Number(n.slice(PREFIX.length)), dir: join(root, n) }))
    .sort((a, b) => b.update - a.update);
}

/** Why a checkpoint directory cannot be used, or null when its manifest and every file's sha256 check out. */
export async function verifyCheckpoint(dir: string): Promise<string | null> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (e) {
    return `${join(dir, MANIFEST_FILE)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (incomplete save)' : (e as Error).message}`;
  }
  if (manifest.format !== 'robusta-checkpoint/1' || typeof manifest.files !== 'object')
    return `${join(dir, MANIFEST_FILE)}: not a robusta-checkpoint/1 manifest`;
  for (const [name, want] of Object.entries(manifest.files)) {
    const p = join(dir, name);
    let bytes: number;
    try {
      bytes = (await stat(p)).size;
    } catch {
      return `${p}: listed in the manifest but missing`;
    }
    if (bytes !== want.bytes) return `${p}: ${bytes} bytes, the manifest says ${want.bytes} (truncated?)`;
    if ((await sha256FileAsync(p)) !== want.sha256) return `${p}: sha256 differs from the manifest (corrupted)`;
  }
  return null;
}

/** The newest complete checkpoint under `root`, with the reasons the newer ones were skipped. */
export async function findLatestCheckpoint(root: string): Promise<{ dir: string | null; skipped: string[] }> {
  const skipped: string[] = [];
  for (const c of await listCheckpoints(root)) {
    const problem = await verifyCheckpoint(c.dir);
    if (problem === null) return { dir: c.dir, skipped };
    skipped.push(problem);
  }
  return { dir: null, skipped };
}

/** Removes all but the newest `keep` complete checkpoints, incomplete ones older than the newest complete one, and
 * temp directories left by a killed save. */
export async function pruneCheckpoints(root: string, keep: number): Promise<void> {
  let kept = 0;
  for (const c of await listCheckpoints(root)) {
    const complete = (await stat(join(c.dir, MANIFEST_FILE)).catch(() => null)) !== null;
    if (complete && kept < keep) kept++;
    else if (kept > 0) await rm(c.dir, { recursive: true, force: true });
  }
  for (const n of await readdir(root)) {
    if (n.startsWith(TMP_PREFIX) && !n.endsWith(`-${process.pid}`))
      await rm(join(root, n), { recursive: true, force: true });
  }
}

export async function readTrainerState(dir: string): Promise<TrainerState> {
  const p = join(dir, TRAINER_STATE_FILE);
  const s = JSON.parse(await readFile(p, 'utf8')) as TrainerState;
  if (s.format !== 'robusta-trainer-state/1')
    throw new FormatError(p, `format '${s.format}', expected robusta-trainer-state/1`);
  return s;
}

/** Restores the optimizer moments from `dir/optimizer.safetensors`. */
export async function loadOptimizerState(dir: string, optimizer: AdamW): Promise<void> {
  const path = join(dir, OPTIMIZER_FILE);
  const reader = await SafetensorsReader.open(path);
  try {
    const values = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [name, info] of reader.header.tensors)
      values.set(name, { shape: info.shape, values: await reader.readFloat32(name) });
    optimizer.loadState((n) => values.get(n), path);
  } finally {
    await reader.close();
  }
}
