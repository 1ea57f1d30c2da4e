// The built addon links nothing a user may lack: its ELF dynamic section names only glibc's own libraries (no
// libstdc++, libgcc_s, OpenBLAS or CUDA, all static or dlopen'ed), and no glibc newer than native/README.md states.
// The host build always; the linux-arm64-gnu cross build (scripts/cross-build.mjs) when it exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirement } from '@robusta/test-kit';
import { describe, expect, it } from 'vitest';
import { nativeBuildDir } from './addon.js';

const ADDON_FILE = 'robusta_native.node';
const CROSS_ARM64 = join(fileURLToPath(new URL('..', import.meta.url)), 'build-linux-arm64', 'Release', ADDON_FILE);

/** glibc's own libraries: every glibc system has them (libdl, libpthread and librt are empty stubs since 2.34). */
const GLIBC_LIBRARIES = [
  /^libc\.so\.6$/,
  /^libm\.so\.6$/,
  /^libdl\.so\.2$/,
  /^libpthread\.so\.0$/,
  /^librt\.so\.1$/,
  /^ld-linux-x86-64\.so\.2$/,
  /^ld-linux-aarch64\.so\.1$/,
];

/** The oldest glibc the binaries run on (x64 and arm64 alike), as native/README.md states it: raise both together. */
const GLIBC_FLOOR = '2.35';

function readelf(flag: string, addon: string): string {
  const r = spawnSync('readelf', [flag, '-W', addon], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`readelf ${flag} ${addon} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

const versionKey = (v: string) => v.split('.').map(Number) as number[];
function compareVersions(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function needsOnlyGlibc(addon: string, skip = false) {
  it.skipIf(skip)('exists (npm run build makes it)', () => {
    expect(existsSync(addon), addon).toBe(true);
  });

  it.skipIf(skip)('its DT_NEEDED entries are glibc libraries only', () => {
    const needed = [...readelf('-d', addon).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map(
      (m) => m[1] as string,
    );
    expect(needed, 'readelf found no NEEDED entries').toContain('libc.so.6');
    const foreign = needed.filter((lib) => !GLIBC_LIBRARIES.some((re) => re.test(lib)));
    expect(foreign, `${addon} links libraries a user may lack (needed: ${needed.join(', ')})`).toEqual([]);
  });

  it.skipIf(skip)(
    `asks for no glibc symbol version newer than ${GLIBC_FLOOR} (the floor native/README.md states)`,
    () => {
      const versions = [
        ...new Set([...readelf('-V', addon).matchAll(/Name: GLIBC_([0-9.]+)/g)].map((m) => m[1] as string)),
      ];
      expect(versions.length, 'readelf -V found no GLIBC_ versions').toBeGreaterThan(0);
      const newest = versions.sort(compareVersions).at(-1) as string;
      console.log(`${addon}: glibc symbol versions ${versions.join(', ')}; needs glibc >= ${newest}`);
      expect(
        compareVersions(newest, GLIBC_FLOOR),
        `needs GLIBC_${newest}, newer than the stated floor ${GLIBC_FLOOR}: update native/README.md and GLIBC_FLOOR, or avoid the symbol`,
      ).toBeLessThanOrEqual(0);
    },
  );
}

describe(`the built addon (${ADDON_FILE}) needs only glibc`, () =>
  needsOnlyGlibc(join(nativeBuildDir(), 'Release', ADDON_FILE)));

describe(`the linux-arm64-gnu cross build (${ADDON_FILE}) needs only glibc`, () => {
  const why = existsSync(CROSS_ARM64)
    ? null
    : `${CROSS_ARM64} is not built (npm run build:linux-arm64 -w @robusta/native)`;
  needsOnlyGlibc(CROSS_ARM64, !requirement('the linux-arm64-gnu cross build', why));
});
