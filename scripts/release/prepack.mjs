// npm runs this before packing or publishing a public package (its `prepack`): the package and what it depends on
// built through Nx (each build starts from an empty dist/, so no stale module ships), and the repository's LICENSE
// copied in, so every tarball is complete.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.cwd();
const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

execFileSync('npx', ['nx', 'run', `${name}:build`, '--outputStyle=static'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});
copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
