// The built package as a browser bundler sees it (`#platform` under the `browser` condition): no `node:` module
// anywhere in its graph, dynamic imports included, while Node's condition does lead to one.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const DIST = new URL('dist/', ROOT);

type Imports = Record<string, Record<string, string>>;
const { imports } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { imports: Imports };

/** Every specifier a built module imports: static imports, re-exports and `import('...')` with a literal. */
function specifiers(source: string): string[] {
  const found = source.matchAll(
    /^(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'|^import\s*'([^']+)'|\bimport\('([^']+)'\)/gm,
  );
  return [...found].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** The modules reachable from dist/index.js when `#platform` resolves under `condition`, and the packages named. */
function graph(condition: 'browser' | 'node'): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (url: URL): void => {
    const name = url.href.slice(DIST.href.length);
    if (files.has(name)) return;
    files.add(name);
    for (const s of specifiers(readFileSync(url, 'utf8'))) {
      if (s.startsWith('./') || s.startsWith('../')) visit(new URL(s, url));
      else if (s.startsWith('#')) visit(new URL(imports[s]?.[condition] as string, ROOT));
      else packages.add(s);
    }
  };
  visit(new URL('index.js', DIST));
  return { files, packages };
}

it("the browser graph imports no node: module; the loaders, workers' script and embedded core are in it", () => {
  const browser = graph('browser');
  expect([...browser.packages]).toEqual(['@robusta/cli-kit/errors']);
  for (const file of ['platform/browser.js', 'load.js', 'bpe-wasm.js', 'formats/gpt2.js', 'pool.js'])
    expect(browser.files).toContain(file);
  expect(browser.files).not.toContain('platform/node.js');
  // the worker is reached through `new URL('../worker.js', import.meta.url)`, which bundlers follow
  expect(readFileSync(new URL('platform/browser.js', DIST), 'utf8')).toContain(
    "new Worker(new URL('../worker.js', import.meta.url), { type: 'module' })",
  );
  // and the check can fail: Node's graph names node: modules
  expect([...graph('node').packages].filter((p) => p.startsWith('node:'))).toContain('node:worker_threads');
});
