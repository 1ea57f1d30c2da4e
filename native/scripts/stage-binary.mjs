// `node scripts/stage-binary.mjs [triple] [build folder]`: copies <build folder>/Release/robusta_native.node (default
// build/) into npm/<triple>/ (default: this host's, e.g. linux-x64-gnu), the per-platform package that is packed and
// published beside @robusta/native. Refuses a triple with no package folder, a missing build, a binary for another
// CPU than the package's, and a package whose version or main differs from what is expected.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message) {
  console.error(`stage-binary: ${message}`);
  process.exit(1);
}

if (!existsSync(join(root, 'dist', 'locate-addon.js')))
  fail('dist/ is missing; run `npm run build -w @robusta/native`');
// the loader's own naming, from the build (dist/ is compiled by the same npm run build that makes the binary)
const { ADDON_FILE, currentHost, platformTriple } = await import('../dist/locate-addon.js');
const triple = process.argv[2] ?? platformTriple(currentHost());
const dir = join(root, 'npm', triple);
const built = join(root, process.argv[3] ?? 'build', 'Release', ADDON_FILE);
if (!existsSync(join(dir, 'package.json'))) fail(`no package for ${triple}: ${dir}/package.json does not exist`);
if (!existsSync(built)) fail(`${built} does not exist; build it first with \`npm run build -w @robusta/native\``);
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
if (pkg.main !== ADDON_FILE) fail(`${dir}/package.json: main is ${pkg.main}, expected ${ADDON_FILE}`);
if (pkg.version !== version) fail(`${dir}/package.json has version ${pkg.version}, @robusta/native has ${version}`);
// ELF e_machine (little-endian, at byte 18) of each npm cpu name: a binary staged for the wrong CPU would install there
const ELF_MACHINES = { x64: 0x3e, arm64: 0xb7 };
const head = readFileSync(built).subarray(0, 20);
const machine = head.readUInt16LE(18);
const expected = ELF_MACHINES[pkg.cpu?.[0]];
if (head.readUInt32BE(0) !== 0x7f454c46) fail(`${built} is not an ELF file`);
if (expected === undefined) fail(`${dir}/package.json: cpu ${JSON.stringify(pkg.cpu)} has no known ELF machine`);
if (machine !== expected)
  fail(
    `${built} is built for ELF machine 0x${machine.toString(16)}, ${pkg.name} (cpu ${pkg.cpu[0]}) needs 0x${expected.toString(16)}`,
  );
copyFileSync(built, join(dir, pkg.main));
console.log(`stage-binary: ${built} -> ${join(dir, pkg.main)} (${pkg.name}@${pkg.version})`);
