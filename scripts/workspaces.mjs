// Lists the workspace packages (folders named by the root package.json's "workspaces" globs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Returns { dir, pkg } for every workspace folder that holds a package.json. */
export function workspaces(root) {
  const globs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  const dirs = [];
  for (const g of globs) {
    if (g.endsWith('/*')) {
      const parent = join(root, g.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const d of readdirSync(parent, { withFileTypes: true })) {
        if (d.isDirectory()) dirs.push(join(parent, d.name));
      }
    } else {
      dirs.push(join(root, g));
    }
  }
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}
