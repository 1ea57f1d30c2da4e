// Loads the compiled addon (build/Release/robusta_native.node) and types its functions.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  openblas: boolean;
  cudaKernels: boolean;
  /** The CUDA device's name, or `unavailable: <reason>` naming what is missing. */
  cuda: string;
}

/** Dtype codes shared with the core (core/dtype.h). */
export enum DTypeCode {
  F32 = 0,
  I32 = 1,
  Bool = 2,
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

function load(): NativeAddon {
  const require = createRequire(import.meta.url);
  const candidates = ['../build/Release/robusta_native.node', '../../build/Release/robusta_native.node'];
  for (const rel of candidates) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return require(path) as NativeAddon;
  }
  throw new Error(
    `@robusta/native: the compiled addon robusta_native.node was not found (looked for ${candidates.join(', ')} next ` +
      'to this module); build it with `npm run build -w @robusta/native` (needs cmake and a C++17 compiler)',
  );
}

export const native: NativeAddon = load();
