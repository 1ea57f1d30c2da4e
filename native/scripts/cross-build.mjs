// `node scripts/cross-build.mjs [triple]` (default linux-arm64-gnu; `npm run build:linux-arm64`): builds the addon and
// the C++ core tests for another platform with a CMake toolchain file into build-<platform>-<arch>/, then stages the
// binary into npm/<triple>/. Needs the host build's dist/ (`npm run build`) for the loader's naming, and the cross
// compiler the toolchain file names (for linux-arm64-gnu: apt-get install g++-aarch64-linux-gnu).
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What each cross target needs: its toolchain file, the compiler that file names, and the build folder. */
const CROSS_TARGETS = {
  'linux-arm64-gnu': {
    toolchain: 'cmake/aarch64-linux-gnu.cmake',
    compiler: 'aarch64-linux-gnu-g++',
    install: 'apt-get install g++-aarch64-linux-gnu',
    out: 'build-linux-arm64',
  },
};

function fail(message) {
  console.error(`cross-build: ${message}`);
  process.exit(1);
}

const triple = process.argv[2] ?? 'linux-arm64-gnu';
const target = CROSS_TARGETS[triple];
if (!target) fail(`no cross target ${triple}; known: ${Object.keys(CROSS_TARGETS).join(', ')}`);
if (spawnSync(target.compiler, ['--version']).error)
  fail(`${target.compiler} is not on PATH; install it with \`${target.install}\``);

const cmakeJs = (command, ...args) =>
  execFileSync('npx', ['cmake-js', command, '--out', target.out, '--log-level', 'warn', ...args], {
    cwd: root,
    stdio: 'inherit',
  });

const started = Date.now();
// src/core/op_codes.h, as the host build writes it
execFileSync(process.execPath, [join(root, 'scripts', 'gen-op-codes.mjs')], { stdio: 'inherit' });
cmakeJs('configure', `--CDCMAKE_TOOLCHAIN_FILE=${join(root, target.toolchain)}`);
cmakeJs('build');
console.log(`cross-build: ${triple} built in ${((Date.now() - started) / 1000).toFixed(0)} s into ${target.out}/`);
execFileSync(process.execPath, [join(root, 'scripts', 'stage-binary.mjs'), triple, target.out], { stdio: 'inherit' });
