// Loads the compiled addon ($ROBUSTA_NATIVE_BUILD_DIR's, the workspace build, or @robusta/native-<platform>'s; see
// locate-addon.ts) and types its functions.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildDir, currentHost, locateAddon } from './locate-addon.js';

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

/** The @robusta/native folder: src/ or dist/ holds this file. */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The cmake-js build folder the core tests (and a developer's addon) come from: $ROBUSTA_NATIVE_BUILD_DIR when set
 * (relative to the working directory), else build/ beside this package.
 */
export function nativeBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  return buildDir(env, packageRoot);
}

export const native = locateAddon({
  env: process.env,
  packageRoot,
  host: currentHost,
  exists: existsSync,
  load: createRequire(import.meta.url),
}) as NativeAddon;
