// The BPE core embedded as base64: scripts/embed-wasm.mjs writes dist/bpe-wasm.js from wasm/'s build, and copies this.

/** `bpe.wasm` (wasm/'s release build), base64. */
export declare const BPE_WASM_BASE64: string;
