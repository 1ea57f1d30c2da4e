// Where the addon is loaded from, over fake hosts and file systems: the order of the places, the platform triples,
// and the one error naming the platform, the prebuilt list, each place tried with its reason, and the build command.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADDON_FILE,
  BUILD_FROM_SOURCE,
  type Host,
  type LocateOptions,
  locateAddon,
  PREBUILT_TRIPLES,
  platformPackage,
  platformTriple,
} from './locate-addon.js';

const linuxGnu: Host = { platform: 'linux', arch: 'x64', libc: 'glibc' };
const linuxArm64Gnu: Host = { platform: 'linux', arch: 'arm64', libc: 'glibc' };
const ROOT = '/app/node_modules/@robusta/native';
const WORKSPACE = `${ROOT}/build/Release/robusta_native.node`;
const PACKAGE = '@robusta/native-linux-x64-gnu/robusta_native.node';

function notFound(spec: string): Error {
  return Object.assign(new Error(`Cannot find module '${spec}'`), { code: 'MODULE_NOT_FOUND' });
}

/** A fake world: `files` exist on disk, `modules` load (by path or package subpath) as their value. */
function world(files: string[], modules: Record<string, unknown>, overrides: Partial<LocateOptions> = {}) {
  const loaded: string[] = [];
  let hostCalls = 0;
  const options: LocateOptions = {
    env: {},
    packageRoot: ROOT,
    host: () => {
      hostCalls += 1;
      return linuxGnu;
    },
    exists: (p) => files.includes(p),
    load: (spec) => {
      loaded.push(spec);
      if (spec in modules) {
        const m = modules[spec];
        if (m instanceof Error) throw m;
        return m;
      }
      throw notFound(spec);
    },
    ...overrides,
  };
  return { options, loaded, hostCalls: () => hostCalls };
}

describe('platformTriple', () => {
  it('names hosts as the per-platform packages do (@napi-rs style)', () => {
    expect(platformTriple(linuxGnu)).toBe('linux-x64-gnu');
    expect(platformTriple({ platform: 'linux', arch: 'x64', libc: 'musl' })).toBe('linux-x64-musl');
    expect(platformTriple({ platform: 'linux', arch: 'arm64', libc: 'glibc' })).toBe('linux-arm64-gnu');
    expect(platformTriple({ platform: 'darwin', arch: 'arm64', libc: null })).toBe('darwin-arm64');
    expect(platformTriple({ platform: 'win32', arch: 'x64', libc: null })).toBe('win32-x64-msvc');
  });
});

describe('locateAddon', () => {
  it('takes the build beside the package first, without asking for the host (process.report is slow)', () => {
    const w = world([WORKSPACE], { [WORKSPACE]: 'workspace', [PACKAGE]: 'package' });
    expect(locateAddon(w.options)).toBe('workspace');
    expect(w.loaded).toEqual([WORKSPACE]);
    expect(w.hostCalls()).toBe(0);
  });

  it('falls back to the per-platform package when there is no build beside the package', () => {
    const w = world([], { [PACKAGE]: 'package' });
    expect(locateAddon(w.options)).toBe('package');
    expect(w.loaded).toEqual([PACKAGE]);
  });

  it('falls back to the package when the build beside the package exists but fails to load', () => {
    const w = world([WORKSPACE], { [WORKSPACE]: new Error('undefined symbol: foo'), [PACKAGE]: 'package' });
    expect(locateAddon(w.options)).toBe('package');
    expect(w.loaded).toEqual([WORKSPACE, PACKAGE]);
  });

  it('with $ROBUSTA_NATIVE_BUILD_DIR tries only that build', () => {
    const dir = '/tmp/other-build';
    const addon = `${dir}/Release/robusta_native.node`;
    const env = { ROBUSTA_NATIVE_BUILD_DIR: dir };
    const w = world([addon, WORKSPACE], { [addon]: 'explicit', [WORKSPACE]: 'workspace' }, { env });
    expect(locateAddon(w.options)).toBe('explicit');
    const missing = world([WORKSPACE], { [WORKSPACE]: 'workspace', [PACKAGE]: 'package' }, { env });
    expect(() => locateAddon(missing.options)).toThrow(
      `  - ${addon} (from $ROBUSTA_NATIVE_BUILD_DIR): not found\nBuild it from source`,
    );
    expect(missing.loaded).toEqual([]);
  });

  it('when nothing loads on a supported platform, one error names each place tried and why', () => {
    const w = world([], {});
    expect(() => locateAddon(w.options)).toThrow(
      '@robusta/native: no compiled addon could be loaded on linux-x64-gnu (prebuilt binaries: linux-x64-gnu, linux-arm64-gnu). ' +
        'Tried:\n' +
        `  - ${WORKSPACE} (the build beside the package): not found\n` +
        `  - ${PACKAGE} (the prebuilt package): not installed (npm installs it with @robusta/native as an optional ` +
        'dependency on its platform, unless optional dependencies are omitted)\n' +
        `Build it from source: ${BUILD_FROM_SOURCE}.`,
    );
  });

  it("a package that is installed but does not load (a glibc too old) gives the loader's message", () => {
    const glibc = new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.35' not found");
    const w = world([], { [PACKAGE]: Object.assign(glibc, { code: 'ERR_DLOPEN_FAILED' }) });
    expect(() => locateAddon(w.options)).toThrow(
      `  - ${PACKAGE} (the prebuilt package): failed to load: ${glibc.message}\n`,
    );
  });

  it('on a platform without a prebuilt binary, says so and tries no package', () => {
    for (const host of [
      { platform: 'darwin', arch: 'arm64', libc: null },
      { platform: 'linux', arch: 'x64', libc: 'musl' },
      { platform: 'linux', arch: 'arm64', libc: 'musl' },
    ] as Host[]) {
      const w = world([], { [PACKAGE]: 'package' }, { host: () => host });
      expect(() => locateAddon(w.options)).toThrow(
        `@robusta/native: no prebuilt binary for ${platformTriple(host)} (prebuilt binaries: linux-x64-gnu, linux-arm64-gnu). Tried:\n` +
          `  - ${WORKSPACE} (the build beside the package): not found\nBuild it from source: ${BUILD_FROM_SOURCE}.`,
      );
      expect(w.loaded).toEqual([]);
    }
  });
});

describe('the per-platform packages (npm/<triple>/)', () => {
  const native = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const hosts: Record<string, Host> = { 'linux-x64-gnu': linuxGnu, 'linux-arm64-gnu': linuxArm64Gnu };
  it('one package folder per prebuilt triple, and none other', () => {
    const folders = readdirSync(new URL('../npm/', import.meta.url), { withFileTypes: true });
    expect(
      folders
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort(),
    ).toEqual([...PREBUILT_TRIPLES].sort());
  });
  for (const triple of PREBUILT_TRIPLES) {
    it(`${triple}: named, versioned and fenced (os, cpu, libc) as the loader expects`, () => {
      const host = hosts[triple] as Host;
      expect(host, `add ${triple}'s host to this test`).toBeDefined();
      const pkg = JSON.parse(readFileSync(new URL(`../npm/${triple}/package.json`, import.meta.url), 'utf8'));
      expect(pkg.name).toBe(platformPackage(host));
      expect(pkg.version, `npm/${triple} must be released with @robusta/native`).toBe(native.version);
      expect(pkg).toMatchObject({ main: ADDON_FILE, files: [ADDON_FILE], license: native.license });
      expect(pkg.os).toEqual([host.platform]);
      expect(pkg.cpu).toEqual([host.arch]);
      expect(pkg.libc).toEqual(host.libc ? [host.libc] : undefined);
    });
  }
});
