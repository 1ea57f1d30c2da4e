// Every public package's README opens with an install block and one example, and the example runs: a library's ```js
// block as an ESM script, an app's ```sh block with only the installed packages' commands on PATH, each in a temp folder.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, type Workspace, workspaces } from '../support/workspaces.js';

// Inside the repo, not os.tmpdir(): an ESM script finds packages only in node_modules folders above it, and these
// must be the workspace's. Git-ignored (.gitignore beside this file); a failed example's folder is kept there.
const TMP = fileURLToPath(new URL('.tmp/', import.meta.url));
const EXAMPLE_TIMEOUT_MS = 60_000;
// what a user's terminal shows is compared as text: no colours, whatever FORCE_COLOR the test runner was given
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

/** Packages whose README is not held to the rule yet, with the reason. */
const NOT_YET: Record<string, string> = {};

const ALL = workspaces();
const PUBLIC = ALL.filter((w) => !w.pkg.private);
const byName = new Map(ALL.map((w) => [w.pkg.name, w]));

interface Block {
  lang: string;
  body: string;
}

/** The README's opening: the text between the `# title` and the first fence, and its first two fenced blocks. */
function readme(w: Workspace): { intro: string; blocks: Block[]; source: string } {
  const source = `${w.dir}/README.md`;
  const text = readFileSync(join(ROOT, source), 'utf8');
  const title = /^# .*\n/.exec(text);
  if (!title) throw new Error(`${source}: does not start with a '# ' title line`);
  const rest = text.slice(title[0].length);
  const blocks = [...rest.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const firstFence = rest.search(/^```/m);
  return { intro: firstFence < 0 ? rest : rest.slice(0, firstFence), blocks: blocks.slice(0, 2), source };
}

/** Packages named by the install block's `npm install` / `npx` lines (comments after `#` ignored). */
function installed(body: string): { names: string[]; global: boolean } {
  const names: string[] = [];
  let global = false;
  for (const line of body.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/);
    const args = words[0] === 'npm' && /^(install|i)$/.test(words[1] ?? '') ? words.slice(2) : [];
    if (args.includes('-g') || args.includes('--global')) global = true;
    names.push(...args.filter((a) => !a.startsWith('-')));
  }
  return { names, global };
}

/** Bare package names a script imports or resolves (`from 'x'`, `import 'x'`, `import('x')`, `resolve('x/...')`). */
function packagesUsed(script: string): string[] {
  const specifiers = [...script.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\bresolve\(\s*)(['"])([^'"]+)\1/g)].map(
    (m) => m[2]!,
  );
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

/** What the example says it prints: the text after `// prints:` (js) or `# prints:` (sh) on each line. */
function expectedOutput(body: string): string[] {
  return [...body.matchAll(/(?:\/\/|#) prints: (.*)$/gm)].map((m) => m[1]!.trim());
}

/** A folder for one example, inside the repo so that Node's resolution finds the workspace's node_modules. */
function tempFolder(name: string): string {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, `${name.replace(/^@/, '').replace(/\W+/g, '-')}-`));
}

/** PATH with shims for the installed packages' commands first, and no node_modules/.bin (npm and Nx put ours there). */
function pathWithCommands(binDir: string, names: string[]): string {
  mkdirSync(binDir);
  for (const name of names) {
    const w = byName.get(name);
    if (!w?.pkg.bin) continue;
    const bins = typeof w.pkg.bin === 'string' ? { [w.pkg.name.split('/').pop()!]: w.pkg.bin } : w.pkg.bin;
    for (const [command, file] of Object.entries(bins))
      writeFileSync(
        join(binDir, command),
        `#!/bin/sh\nexec '${process.execPath}' '${join(ROOT, w.dir, file)}' "$@"\n`,
        { mode: 0o755 },
      );
  }
  const rest = (process.env.PATH ?? '').split(delimiter).filter((p) => p && !p.includes('node_modules'));
  return [binDir, ...rest].join(delimiter);
}

describe('README install blocks', () => {
  it('finds the public packages', () => {
    expect(PUBLIC.map((w) => w.pkg.name)).toEqual(expect.arrayContaining(['@robusta/model', '@robusta/pretrain']));
  });

  for (const w of PUBLIC) {
    it.skipIf(w.pkg.name in NOT_YET)(`${w.pkg.name}: title, one paragraph at most, then npm install`, () => {
      const { intro, blocks, source } = readme(w);
      const paragraphs = intro.split(/\n\s*\n/).filter((p) => p.trim());
      expect(paragraphs.length, `${source}: paragraphs before the install block`).toBeLessThanOrEqual(1);
      const [install, example] = blocks;
      expect(install?.lang, `${source}: the first fenced block`).toBe('sh');
      expect(install?.body, `${source}: the install block`).toMatch(/^\s*(npm install|npx) /m);
      const { names, global } = installed(install!.body);
      expect(names, `${source}: the install block installs the package itself`).toContain(w.pkg.name);
      expect(global, `${source}: an app installs with -g, a library without`).toBe(w.kind === 'app');
      expect(example?.lang, `${source}: the example after the install block`).toBe(w.kind === 'app' ? 'sh' : 'js');
    });
  }
});

describe('README examples run', () => {
  for (const w of PUBLIC) {
    it.skipIf(w.pkg.name in NOT_YET)(
      `${w.pkg.name}: the example runs`,
      () => {
        const { blocks, source } = readme(w);
        const [install, example] = blocks;
        if (!install || !example) throw new Error(`${source}: no install block and example`);
        const { names } = installed(install.body);
        const dir = tempFolder(w.pkg.name);
        let r: SpawnSyncReturns<string>;
        if (example.lang === 'js') {
          // what users may import: the packages they were told to install, and those packages' peers (npm >= 7
          // installs peers)
          const allowed = new Set(names.flatMap((n) => [n, ...Object.keys(byName.get(n)?.pkg.peerDependencies ?? {})]));
          for (const used of packagesUsed(example.body))
            expect(
              allowed.has(used),
              `${source}: the example uses ${used}, which its install block does not install`,
            ).toBe(true);
          writeFileSync(join(dir, 'example.mjs'), example.body);
          r = spawnSync(process.execPath, ['example.mjs'], {
            cwd: dir,
            encoding: 'utf8',
            timeout: EXAMPLE_TIMEOUT_MS,
            env,
          });
        } else {
          const work = join(dir, 'work');
          mkdirSync(work);
          writeFileSync(join(dir, 'example.sh'), example.body);
          r = spawnSync('bash', ['-euo', 'pipefail', '../example.sh'], {
            cwd: work,
            encoding: 'utf8',
            timeout: EXAMPLE_TIMEOUT_MS,
            env: { ...env, PATH: pathWithCommands(join(dir, 'bin'), names) },
          });
        }
        const what = `${source}: the example (kept in ${dir}) exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`;
        expect(r.status, what).toBe(0);
        for (const line of expectedOutput(example.body)) expect(r.stdout, `${source}: prints ${line}`).toContain(line);
        rmSync(dir, { recursive: true, force: true });
      },
      EXAMPLE_TIMEOUT_MS + 30_000,
    );
  }
});
