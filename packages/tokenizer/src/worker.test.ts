// The pool's worker script as built: its static module graph names only files, no package, because a browser's
// module worker resolves no bare name (import maps do not reach workers). The parsers, which do, load on demand.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const DIST = new URL('../dist/', import.meta.url);

/** The specifiers of a built module's static imports and re-exports (dynamic `import()` is not at a line's start). */
function staticImports(source: string): string[] {
  const statements = source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'|^import\s*'([^']+)'/gm);
  return [...statements].map((m) => (m[1] ?? m[2]) as string);
}

it('dist/worker.js and every module it imports statically import relative files only', () => {
  const seen = new Set<string>();
  const bare: string[] = [];
  const visit = (url: URL): void => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    for (const specifier of staticImports(readFileSync(url, 'utf8'))) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) visit(new URL(specifier, url));
      else bare.push(`${url.href.slice(DIST.href.length)} imports ${specifier}`);
    }
  };
  visit(new URL('worker.js', DIST));
  expect(bare).toEqual([]);
  // the walk did follow the graph: the worker reaches the Tokenizer, the core and the tokenizer.json writer
  for (const file of ['tokenizer.js', 'core.js', 'formats/tokenizer-json-writer.js'])
    expect(seen).toContain(new URL(file, DIST).href);
  // and the check can fail: the parsers, which the Tokenizer imports on demand, name @robusta/cli-kit/errors
  expect(staticImports(readFileSync(new URL('formats/gpt2.js', DIST), 'utf8'))).toContain('@robusta/cli-kit/errors');
});
