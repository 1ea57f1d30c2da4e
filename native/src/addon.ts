// Loads the compiled addon (build/Release/robusta_native.node, or $ROBUSTA_NATIVE_BUILD_DIR's) and types its functions.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A block of addon-owned tensor memory. */
export interface Storage {
  readonly bytes: number;
  readonly freed: boolean;
  free(): void;
}

export interface PoolStats {
  freshBytes: number;
  freshBlocks: number;
  reusedBlocks: number;
  liveBytes: number;
  pooledBytes: number;
}

export interface Capabilities {
  isa: string;
  threads: number;
  /** Whether OpenBLAS was loaded at run time (GEMM's 'auto' uses it; else our own kernel). */
  openblas: boolean;
  /** The OpenBLAS library's path, version and threads, or why none was loaded (not installed, ROBUSTA_OPENBLAS=off). */
  openblasDetail: string;
  cudaKernels: boolean;
  /** The CUDA device's name, or `unavailable: <reason>` naming what is missing. */
  cuda: string;
}

/**
 * The addon's functions. Memory and capabilities are declared here; each kernel family declares its own functions
 * by augmenting this interface in its own file (`declare module '../addon.js'`), as the C++ side registers them.
 */
export interface NativeAddon {
  alloc(bytes: number): Storage;
  write(s: Storage, values: ArrayBufferView): void;
  read(s: Storage, into: ArrayBufferView): void;
  copy(src: Storage, dst: Storage, bytes: number, srcOffset?: number, dstOffset?: number): void;
  poolStats(): PoolStats;
  trim(): void;
  capabilities(): Capabilities;
}

/**
 * The cmake-js build folder the addon and the core tests are loaded from: $ROBUSTA_NATIVE_BUILD_DIR when set (another
 * build, relative to the working directory), else build/ beside this package.
 */
export function nativeBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROBUSTA_NATIVE_BUILD_DIR) return resolve(env.ROBUSTA_NATIVE_BUILD_DIR);
  return fileURLToPath(new URL('../build', import.meta.url));
}

function load(): NativeAddon {
  const require = createRequire(import.meta.url);
  // An explicit build folder is the only candidate: falling back to build/ would test another build than asked for.
  const candidates = process.env.ROBUSTA_NATIVE_BUILD_DIR
    ? [join(nativeBuildDir(), 'Release/robusta_native.node')]
    : ['../build/Release/robusta_native.node', '../../build/Release/robusta_native.node'].map((rel) =>
        fileURLToPath(new URL(rel, import.meta.url)),
      );
  for (const path of candidates) {
    if (existsSync(path)) return require(path) as NativeAddon;
  }
  throw new Error(
    `@robusta/native: the compiled addon robusta_native.node was not found (looked for ${candidates.join(', ')}${
      process.env.ROBUSTA_NATIVE_BUILD_DIR ? ', from $ROBUSTA_NATIVE_BUILD_DIR' : ''
    }); build it with \`npm run build -w @robusta/native\` (needs cmake and a C++17 compiler)`,
  );
}

export const native: NativeAddon = load();
