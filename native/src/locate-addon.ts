// Where the compiled addon comes from, as a pure function over the host and the file system (addon.ts supplies the
// real ones, currentHost() reads this process's): $ROBUSTA_NATIVE_BUILD_DIR, the build beside the package, then the
// per-platform package npm installed.
import { join, resolve } from 'node:path';

/** The host as the per-platform packages are named: Node's platform and arch, and the C library on Linux. */
export interface Host {
  platform: string;
  arch: string;
  /** 'glibc' or 'musl' on Linux, null elsewhere. */
  libc: 'glibc' | 'musl' | null;
}

/** This process's host; the C library as @napi-rs detects it: Node's report names the glibc it runs on, musl none. */
export function currentHost(): Host {
  let libc: Host['libc'] = null;
  if (process.platform === 'linux') {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    libc = report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return { platform: process.platform, arch: process.arch, libc };
}

/** The triples with a prebuilt package `@robusta/native-<triple>` (native/npm/<triple>/). */
export const PREBUILT_TRIPLES: readonly string[] = ['linux-x64-gnu', 'linux-arm64-gnu'];

/** The file every build and package holds. */
export const ADDON_FILE = 'robusta_native.node';

/** How a host is named in package names, as @napi-rs does: linux-x64-gnu, linux-x64-musl, darwin-arm64, win32-x64-msvc. */
export function platformTriple(host: Host): string {
  if (host.platform === 'linux') return `linux-${host.arch}-${host.libc === 'musl' ? 'musl' : 'gnu'}`;
  if (host.platform === 'win32') return `win32-${host.arch}-msvc`;
  return `${host.platform}-${host.arch}`;
}

export function platformPackage(host: Host): string {
  return `@robusta/native-${platformTriple(host)}`;
}

/** The command that builds the addon from source, as the error says it. */
export const BUILD_FROM_SOURCE =
  'in a clone of the repository, `npm ci && npm run build -w @robusta/native` (needs cmake >= 3.18 and a C++17 ' +
  'compiler), then set ROBUSTA_NATIVE_BUILD_DIR=<clone>/native/build';

export interface LocateOptions {
  env: NodeJS.ProcessEnv;
  /** The @robusta/native package folder: build/ is there in a workspace, and in a tarball packed from one. */
  packageRoot: string;
  /** Called only when no local build loads: detecting the C library costs ~10 ms (process.report). */
  host: () => Host;
  exists: (path: string) => boolean;
  /** require() of a path or a package subpath; throws as require does. */
  load: (spec: string) => unknown;
}

interface Attempt {
  spec: string;
  what: string;
  why: string;
}

/** The build folder the addon and the core tests come from: $ROBUSTA_NATIVE_BUILD_DIR, else build/ in the package. */
export function buildDir(env: NodeJS.ProcessEnv, packageRoot: string): string {
  return env.ROBUSTA_NATIVE_BUILD_DIR ? resolve(env.ROBUSTA_NATIVE_BUILD_DIR) : join(packageRoot, 'build');
}

/** Why require() failed, in a few words. */
function failure(e: unknown, isPackage: boolean): string {
  const err = e as NodeJS.ErrnoException;
  if (isPackage && err?.code === 'MODULE_NOT_FOUND') {
    return 'not installed (npm installs it with @robusta/native as an optional dependency on its platform, unless optional dependencies are omitted)';
  }
  return `failed to load: ${err?.message ?? String(e)}`;
}

/** The one error when nothing loads: the platform, the prebuilt list, each place tried and why, the build command. */
export function addonNotFound(host: Host, attempts: readonly Attempt[]): Error {
  const triple = platformTriple(host);
  const supported = PREBUILT_TRIPLES.includes(triple);
  const head = supported
    ? `@robusta/native: no compiled addon could be loaded on ${triple}`
    : `@robusta/native: no prebuilt binary for ${triple}`;
  const tried = attempts.map((a) => `\n  - ${a.spec} (${a.what}): ${a.why}`).join('');
  return new Error(
    `${head} (prebuilt binaries: ${PREBUILT_TRIPLES.join(', ')}). Tried:${tried}\n` +
      `Build it from source: ${BUILD_FROM_SOURCE}.`,
  );
}

/**
 * Loads the addon from the first place that has it. An explicit $ROBUSTA_NATIVE_BUILD_DIR is the only place tried
 * (falling back would test another build than asked for); else the build beside the package (a workspace, or a
 * tarball that ships one), then the per-platform package npm installed as an optional dependency.
 */
export function locateAddon(options: LocateOptions): unknown {
  const { env, packageRoot, exists, load } = options;
  const attempts: Attempt[] = [];
  const local = env.ROBUSTA_NATIVE_BUILD_DIR
    ? { what: 'from $ROBUSTA_NATIVE_BUILD_DIR', spec: join(buildDir(env, packageRoot), 'Release', ADDON_FILE) }
    : { what: 'the build beside the package', spec: join(packageRoot, 'build', 'Release', ADDON_FILE) };
  if (!exists(local.spec)) attempts.push({ ...local, why: 'not found' });
  else {
    try {
      return load(local.spec);
    } catch (e) {
      attempts.push({ ...local, why: failure(e, false) });
    }
  }
  const host = options.host();
  if (!env.ROBUSTA_NATIVE_BUILD_DIR && PREBUILT_TRIPLES.includes(platformTriple(host))) {
    const spec = `${platformPackage(host)}/${ADDON_FILE}`;
    try {
      return load(spec);
    } catch (e) {
      attempts.push({ spec, what: 'the prebuilt package', why: failure(e, true) });
    }
  }
  throw addonNotFound(host, attempts);
}
