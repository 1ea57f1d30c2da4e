// The repository's npm workspaces, read from the root package.json, so tests over "every package" cover new ones.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  bin?: string | Record<string, string>;
  files?: string[];
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  repository?: { type: string; url: string; directory?: string };
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

export interface Workspace {
  dir: string;
  pkg: PackageJson;
  /** Apps are commands: installed with -g, their example is a shell session. */
  kind: 'library' | 'app';
}

/** The root package.json's workspaces (`dir` or `dir/*` patterns), read from disk. */
export function workspaces(): Workspace[] {
  const patterns: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;
  const dirs = patterns.flatMap((p) =>
    p.endsWith('/*')
      ? readdirSync(join(ROOT, p.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${p.slice(0, -2)}/${e.name}`)
      : [p],
  );
  return dirs
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
    .map((dir) => ({
      dir,
      pkg: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson,
      kind: dir.startsWith('apps/') ? ('app' as const) : ('library' as const),
    }));
}
