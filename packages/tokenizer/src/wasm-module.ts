// Loads and compiles the BPE core (.wasm) once per process, in Node (file) or a browser (URL next to this module).

/** What can stand for the compiled core: its bytes, a URL to fetch, or an already compiled module. */
export type WasmSource = Uint8Array | ArrayBuffer | URL | string | WebAssembly.Module;

let defaultModule: Promise<WebAssembly.Module> | undefined;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

async function readUrl(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch BPE core ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function loadDefault(): Promise<WebAssembly.Module> {
  // dist/bpe.wasm sits next to dist/*.js; sources run in tests find the built copy one folder up.
  const candidates = [new URL('./bpe.wasm', import.meta.url), new URL('../dist/bpe.wasm', import.meta.url)];
  const errors: string[] = [];
  for (const url of candidates) {
    try {
      if (isNode && url.protocol === 'file:') {
        const { existsSync } = await import('node:fs');
        if (!existsSync(url)) {
          errors.push(`${url.pathname}: not found`);
          continue;
        }
      }
      return await WebAssembly.compile((await readUrl(url)) as BufferSource);
    } catch (e) {
      errors.push(`${url.href}: ${(e as Error).message}`);
    }
  }
  throw new Error(`cannot load the BPE core bpe.wasm (build the package first): ${errors.join('; ')}`);
}

/** Compiles (once) and returns the core module; `source` overrides where it comes from. */
export async function coreModule(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source === undefined) {
    defaultModule ??= loadDefault();
    return defaultModule;
  }
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof URL || typeof source === 'string') {
    const url = source instanceof URL ? source : new URL(source, isNode ? `file://${process.cwd()}/` : undefined);
    return WebAssembly.compile((await readUrl(url)) as BufferSource);
  }
  return WebAssembly.compile(source as BufferSource);
}
