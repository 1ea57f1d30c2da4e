// `node scripts/arm64-node.mjs`: unpacks Debian 12's arm64 Node 18 (N-API 9; the addon targets 8) with the libraries
// it loads into build-linux-arm64/node-root/, the root `qemu-aarch64 -L` runs it in (src/cross-arm64.test.ts). Not
// installed with dpkg, so it never displaces the host's Node: `apt-get download` + `dpkg -x`, which need no root; the
// arm64 package lists do, once: `dpkg --add-architecture arm64 && apt-get update`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('..', import.meta.url)), 'build-linux-arm64', 'node-root');

// nodejs and what Debian 12's libnode108 depends on, glibc and libstdc++ included so the root is complete; Debian
// keeps three of Node's own modules outside libnode (/usr/share/nodejs), so those come too (architecture: all)
const PACKAGES = [
  'nodejs:arm64',
  'libnode108:arm64',
  'libc6:arm64',
  'libgcc-s1:arm64',
  'libstdc++6:arm64',
  'libbrotli1:arm64',
  'libc-ares2:arm64',
  'libicu72:arm64',
  'libnghttp2-14:arm64',
  'libssl3:arm64',
  'libuv1:arm64',
  'zlib1g:arm64',
  'node-acorn',
  'node-cjs-module-lexer',
  'node-undici',
];

function fail(message) {
  console.error(`arm64-node: ${message}`);
  process.exit(1);
}

const foreign = spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' });
if (foreign.error) fail(`dpkg is not available (${foreign.error.message}): this needs Debian or Ubuntu`);
if (!foreign.stdout.split('\n').includes('arm64'))
  fail('dpkg has no arm64 architecture; as root: dpkg --add-architecture arm64 && apt-get update');

const started = Date.now();
const debs = join(root, '.debs');
rmSync(root, { recursive: true, force: true });
mkdirSync(debs, { recursive: true });
execFileSync('apt-get', ['download', '-q', ...PACKAGES], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb')))
  execFileSync('dpkg', ['-x', join(debs, deb), root]);
rmSync(debs, { recursive: true });
const node = join(root, 'usr', 'bin', 'node');
if (!existsSync(node)) fail(`${node} is missing after unpacking ${PACKAGES.join(' ')}`);
const probe = spawnSync('qemu-aarch64', ['-L', root, node, '-p', 'process.arch + " " + process.version'], {
  encoding: 'utf8',
});
const ran = probe.error
  ? `not run (${probe.error.message}; apt-get install qemu-user)`
  : probe.stdout.trim() || probe.stderr;
console.log(`arm64-node: ${root} in ${((Date.now() - started) / 1000).toFixed(0)} s; under qemu-aarch64: ${ran}`);
