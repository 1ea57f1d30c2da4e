// For the browser test and benchmark: a static server for the built tokenizer, cli-kit and GPT-2 files; headless Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { gpt2Files, sotuDocuments, udhrDocuments } from '../../packages/tokenizer/test-support/corpora.js';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core drives it, no browser download. */
export const CHROMIUM = '/usr/bin/chromium';

const require = createRequire(import.meta.url);
const TOKENIZER = dirname(require.resolve('@robusta/tokenizer/package.json'));
/** The built package (`npx nx build @robusta/tokenizer`), served unbundled under /pkg/. */
export const DIST = join(TOKENIZER, 'dist');

/** A dependency of the tokenizer's, found as the tokenizer's imports find it (cli-kit exports no ./package.json). */
function dependencyDir(name: string): string {
  const dirs = createRequire(join(TOKENIZER, 'package.json')).resolve.paths(name) ?? [];
  const found = dirs.map((d) => join(d, name)).find((d) => existsSync(join(d, 'package.json')));
  if (found === undefined) throw new Error(`${name} not found from ${TOKENIZER}: run npm install`);
  return found;
}

const KIT = dependencyDir('@robusta/cli-kit');
/** @robusta/cli-kit's build, served under /kit/: the tokenizer's dist imports `@robusta/cli-kit/errors` by name. */
const KIT_DIST = join(KIT, 'dist');

/**
 * The page's import map: each of cli-kit's package exports, from its package.json, to its file under /kit/, so the
 * browser resolves the bare names in the tokenizer's dist as Node does (only ./errors is browser-safe and imported);
 * and the tokenizer's own `#` imports under their `browser` condition (`#platform`), to their files under /pkg/.
 */
function importMap(): { imports: Record<string, string> } {
  const { name, exports } = JSON.parse(readFileSync(join(KIT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import: string }>;
  };
  const imports: Record<string, string> = {};
  for (const [subpath, { import: file }] of Object.entries(exports))
    imports[`${name}${subpath.slice(1)}`] = `/kit/${file.replace(/^\.\/dist\//, '')}`;
  const own = JSON.parse(readFileSync(join(TOKENIZER, 'package.json'), 'utf8')) as {
    imports: Record<string, { browser: string }>;
  };
  for (const [specifier, { browser }] of Object.entries(own.imports))
    imports[specifier] = `/pkg/${browser.replace(/^\.\/dist\//, '')}`;
  return { imports };
}

/** Why the browser cannot run here, or null when it can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (Debian: apt-get install -y chromium)`;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bpe': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page: the import map first, as module scripts resolve bare names only through a map already in place. Workers
 * get no import map; the tokenizer keeps their module graph free of bare names (its worker.test.ts checks).
 */
function page(): string {
  return (
    '<!doctype html><meta charset="utf-8"><title>robusta tokenizer</title><link rel="icon" href="data:,">' +
    `<script type="importmap">${JSON.stringify(importMap())}</script>` +
    '<script type="module" src="/page.js"></script>'
  );
}

export interface Site {
  /** Base URL, e.g. http://127.0.0.1:40123/ */
  url: string;
  /** Serves `texts` as JSON at the returned path, for the page's `robusta.load(path)`. */
  addTexts(name: string, texts: readonly string[]): string;
  /** Paths requested so far, in order. */
  requested: string[];
  close(): Promise<void>;
}

/** Under a served prefix, the file inside `root` that `path` names, or undefined when it points outside. */
function inside(root: string, prefix: string, path: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const file = resolve(root, `.${path.slice(prefix.length - 1)}`);
  return file.startsWith(root + sep) ? file : undefined;
}

/**
 * A static HTTP server on 127.0.0.1 (a free port): the page, /pkg/ (the tokenizer's dist), /kit/ (cli-kit's dist),
 * /vocab/ (GPT-2 files), /texts/.
 */
export async function startSite(): Promise<Site> {
  const built: [string, string][] = [
    [DIST, '@robusta/tokenizer'],
    [KIT_DIST, '@robusta/cli-kit'],
  ];
  for (const [dist, project] of built)
    if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist}/index.js missing: build ${project} first`);
  const html = page();
  const { encoderPath, bpePath } = gpt2Files();
  const files = new Map<string, string>([
    ['/page.js', fileURLToPath(new URL('./page.js', import.meta.url))],
    ['/vocab/encoder.json', encoderPath],
    ['/vocab/vocab.bpe', bpePath],
  ]);
  const texts = new Map<string, string>();
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(path);
    let body: string | Buffer | undefined;
    let file = files.get(path);
    if (path === '/') body = html;
    else if (texts.has(path)) body = texts.get(path);
    else file ??= inside(DIST, '/pkg/', path) ?? inside(KIT_DIST, '/kit/', path);
    if (body === undefined && file !== undefined && existsSync(file)) body = readFileSync(file);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    const type = path === '/' ? TYPES['.html'] : (TYPES[extname(path)] ?? 'application/octet-stream');
    res.writeHead(200, { 'content-type': type as string, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requested,
    addTexts(name, list) {
      const path = `/texts/${name}.json`;
      texts.set(path, JSON.stringify(list));
      return path;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface Chromium {
  browser: Browser;
  page: Page;
  /** Uncaught errors and console errors the page reported so far. */
  errors: string[];
}

/** Launches headless Chromium on the site's page and waits until the page script has run. */
export async function openPage(site: Site): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  await page.goto(site.url);
  await page.waitForFunction(() => 'robusta' in globalThis, undefined, { timeout: 10_000 });
  return { browser, page, errors };
}

/** What page.js puts on the page's globalThis. */
export interface PageApi {
  load(url: string): Promise<number>;
  encodeAll(): Promise<number[][]>;
  encodeBatchAll(workers: number): Promise<number[][]>;
  encodeOnce(): Promise<number>;
}

/** The page's globalThis as seen from `page.evaluate` callbacks (which run in the page, so they cannot import). */
export type PageGlobal = { robusta: PageApi };

/** Every `sotuEvery`-th State of the Union address, every `udhrEvery`-th UDHR translation (many scripts), edge cases. */
export function sampleTexts(sotuEvery: number, udhrEvery: number): string[] {
  return [
    ...sotuDocuments().filter((_, i) => i % sotuEvery === 0),
    ...udhrDocuments().filter((_, i) => i % udhrEvery === 0),
    '',
    'emoji 👩‍👩‍👧, CJK 漢字, a lone surrogate \ud800 and <|endoftext|> as plain text',
  ];
}

/** The index and position of the first difference, or undefined when the id lists are equal. */
export function firstDifference(got: number[][], want: Uint32Array[]): string | undefined {
  if (got.length !== want.length) return `${got.length} id lists, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number[];
    const w = Array.from(want[i] as Uint32Array);
    const at = g.findIndex((v, j) => v !== w[j]);
    if (at >= 0 || g.length !== w.length) {
      const j = at >= 0 ? at : Math.min(g.length, w.length);
      return `text ${i}: ids differ at ${j} (got ${g.slice(j, j + 5)}, expected ${w.slice(j, j + 5)})`;
    }
  }
  return undefined;
}
