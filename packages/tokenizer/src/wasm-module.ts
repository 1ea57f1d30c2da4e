// Compiles the BPE core (.wasm) once per thread: by default the copy embedded in the package, so no bundler has to
// find a .wasm file; or one the caller names.
import type { FileSource } from './load.js';

/** What can stand for the compiled core: its bytes, a path or URL to read, or an already compiled module. */
export type WasmSource = FileSource | WebAssembly.Module;

let defaultModule: Promise<WebAssembly.Module> | undefined;

async function compileEmbedded(): Promise<WebAssembly.Module> {
  // imported on demand: pool workers always receive a compiled module, so their bundles can leave the 32 KB out
  const { BPE_WASM_BASE64 } = await import('./bpe-wasm.js');
  const text = atob(BPE_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return WebAssembly.compile(bytes);
}

/** Compiles (once) and returns the core module; `source` overrides where it comes from. */
export async function coreModule(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source === undefined) {
    defaultModule ??= compileEmbedded();
    return defaultModule;
  }
  if (source instanceof WebAssembly.Module) return source;
  const { readBytes } = await import('./load.js');
  return WebAssembly.compile((await readBytes(source)) as BufferSource);
}
