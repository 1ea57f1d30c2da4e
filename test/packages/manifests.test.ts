// Every public package's package.json says what npm and its users need: where it comes from, that it is public, an
// ESM entry with types that require() can load too, a prepack that builds it, one tfjs-core for the whole app.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, workspaces } from '../support/workspaces.js';

const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const PUBLIC = workspaces().filter((w) => !w.pkg.private);
const TFJS_CORE = '@tensorflow/tfjs-core';

describe('public package manifests', () => {
  it('the release publishes exactly the public workspaces', () => {
    const nx = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8'));
    expect([...nx.release.projects].sort()).toEqual(PUBLIC.map((w) => w.pkg.name).sort());
  });

  describe.each(PUBLIC.map((w) => [w.pkg.name, w] as const))('%s', (_, { dir, pkg }) => {
    it('names the repository and its folder, the license, and publishes publicly', () => {
      expect(pkg.repository).toEqual({ ...root.repository, directory: dir });
      expect(pkg.license).toBe(root.license);
      expect(pkg.publishConfig?.access).toBe('public');
      expect(pkg.version).toBe(PUBLIC[0]?.pkg.version);
    });

    it('is ESM with types, and every export has types, import and default', () => {
      expect(pkg.type).toBe('module');
      for (const [path, entry] of Object.entries(pkg.exports ?? {})) {
        if (typeof entry === 'string') continue; // files such as ./package.json or ./bpe.wasm
        expect(Object.keys(entry), `exports["${path}"]`).toEqual(['types', 'import', 'default']);
        expect(entry.default).toBe(entry.import);
      }
      expect(pkg.exports?.['.']).toBeDefined();
    });

    it('builds before packing, ships dist/, and its commands are in dist/', () => {
      expect(pkg.scripts?.prepack).toMatch(/scripts\/release\/prepack\.mjs$/);
      expect(pkg.files).toEqual(['dist']);
      const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
      for (const bin of bins) {
        expect(bin).toMatch(/^dist\//);
        expect(readFileSync(join(ROOT, dir, bin), 'utf8').startsWith('#!/usr/bin/env node\n'), bin).toBe(true);
      }
    });

    it('takes tfjs-core as a peer, never as its own copy, and depends on our packages at their exact version', () => {
      expect(pkg.dependencies?.[TFJS_CORE] === undefined || dir.startsWith('apps/')).toBe(true);
      if (pkg.peerDependencies?.[TFJS_CORE]) expect(pkg.devDependencies?.[TFJS_CORE]).toBeDefined();
      for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies }))
        if (name.startsWith('@robusta/')) expect(range, name).toBe(pkg.version);
    });

    it('has a README', () => {
      expect(existsSync(join(ROOT, dir, 'README.md'))).toBe(true);
    });
  });
});
