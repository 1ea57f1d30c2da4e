// For the bundler test: the tokenizer and cli-kit packed as npm would publish them, installed into a temp app, the
// app built by Vite, webpack 5 and esbuild with no configuration for the .wasm or the workers, and served.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { gpt2Files } from '../../packages/tokenizer/test-support/corpora.js';

const require = createRequire(import.meta.url);
const TOKENIZER = dirname(require.resolve('@robusta/tokenizer/package.json'));
const KIT = join(TOKENIZER, '../cli-kit');
const APP_FILES = fileURLToPath(new URL('./app/', import.meta.url));

/**
 * Packs a workspace package's built dist/ into `dest` and returns the tarball. Scripts are off: prepack would
 * rebuild dist/ from scratch under the other tests that read it; the test target builds every dependency first.
 */
function pack(dir: string, dest: string): string {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [packed] = JSON.parse(out) as [{ filename: string }];
  return join(dest, packed.filename);
}

/**
 * A temp app (app/main.js and app/index.html) that depends on the two tarballs, installed offline: every package it
 * needs is in them. Returns the app's folder.
 */
export function makeApp(root: string): string {
  const tarballs = join(root, 'tarballs');
  const app = join(root, 'app');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(app, { recursive: true });
  const dependencies = {
    '@robusta/tokenizer': `file:${pack(TOKENIZER, tarballs)}`,
    '@robusta/cli-kit': `file:${pack(KIT, tarballs)}`,
  };
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'bundled-app', private: true, type: 'module', dependencies }, null, 2),
  );
  for (const f of readdirSync(APP_FILES)) copyFileSync(join(APP_FILES, f), join(app, f));
  execFileSync('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: app,
    stdio: 'pipe',
  });
  return app;
}

export interface Bundler {
  name: string;
  /** Builds `app` into `out`. */
  build(app: string, out: string): Promise<void>;
  /** The page, when the bundler does not write one. */
  html?: string;
  /** The worker script's URL the app must pass, when the bundler leaves workers alone. */
  workerUrl?: string;
}

/** The page for builds that write none: `main.js` as a module or a classic script. */
const page = (type: 'module' | 'classic') =>
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
  `<script${type === 'module' ? ' type="module"' : ''} src="/main.js"></script>`;

export const BUNDLERS: Bundler[] = [
  {
    // index.html is the entry; workers (format iife by default) and the embedded core need no setting
    name: `Vite ${require('vite/package.json').version}`,
    async build(app, out) {
      const { build } = await import('vite');
      await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    },
  },
  {
    // only where the entry is and where the bundle goes; `new Worker(new URL(...))` becomes a worker chunk by itself
    name: `webpack ${require('webpack/package.json').version}`,
    async build(app, out) {
      const { default: webpack } = await import('webpack');
      const compiler = webpack({ mode: 'production', context: app, entry: './main.js', output: { path: out } });
      await new Promise<void>((done, fail) =>
        compiler.run((err, stats) => {
          compiler.close(() => {});
          if (err) fail(err);
          else if (stats?.hasErrors()) fail(new Error(stats.toString('errors-only')));
          else done();
        }),
      );
    },
    html: page('classic'),
  },
  {
    // esbuild does not bundle workers: the package's worker.js is a second entry, and the app names it
    name: `esbuild ${require('esbuild/package.json').version}`,
    async build(app, out) {
      const { build } = await import('esbuild');
      await build({
        absWorkingDir: app,
        entryPoints: { main: './main.js', 'robusta-worker': '@robusta/tokenizer/worker.js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        minify: true,
        outdir: out,
        logLevel: 'warning',
      });
    },
    html: page('module'),
    workerUrl: '/robusta-worker.js',
  },
];

/** Every file under `dir`, relative, with its size and gzip size (level 9). */
export function outputSizes(dir: string): { file: string; bytes: number; gzip: number }[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return walk(dir).map((f) => {
    const body = readFileSync(f);
    return { file: relative(dir, f), bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface Site {
  url: string;
  /** Paths requested so far, in order. */
  requested: string[];
  close(): Promise<void>;
}

/** Serves a build on 127.0.0.1 (a free port): its files, `html` at / when given, GPT-2's files, the texts. */
export async function serve(out: string, texts: readonly string[], html?: string): Promise<Site> {
  const { encoderPath, bpePath } = gpt2Files();
  const fixed = new Map<string, string | Buffer>([
    ['/vocab/encoder.json', readFileSync(encoderPath)],
    ['/vocab/vocab.bpe', readFileSync(bpePath)],
    ['/texts.json', JSON.stringify(texts)],
  ]);
  if (html !== undefined) fixed.set('/', html);
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(path);
    let body = fixed.get(path);
    const file = resolve(out, `.${path === '/' ? '/index.html' : path}`);
    if (body === undefined && file.startsWith(out + sep) && existsSync(file)) body = readFileSync(file);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    const type = path === '/' ? TYPES['.html'] : (TYPES[extname(path)] ?? 'application/octet-stream');
    res.writeHead(200, { 'content-type': type as string, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requested,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** What app/main.js puts on the page's globalThis. */
export type AppGlobal = {
  robusta: {
    encodeAll(): Promise<number[][]>;
    encodeBatchAll(workers: number, workerUrl?: string): Promise<number[][]>;
  };
};
