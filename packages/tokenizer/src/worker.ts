// The script each pool worker runs in a browser (module Web Worker), and the request handling Node's node-worker.ts
// shares: one Tokenizer, texts in, ids out.
import { encodePacked } from './packed.js';
import { type ChunkInput, unpackModel, type WorkerReply, type WorkerRequest } from './pool-protocol.js';
import { Tokenizer } from './tokenizer.js';

/** Ids of every text of a chunk, and the buffers to transfer back (each array owns its buffer; copied if not). */
export function encodeChunk(tok: Tokenizer, input: ChunkInput): { ids: Uint32Array[]; transfer: ArrayBuffer[] } {
  const ids: Uint32Array[] = [];
  if (input.kind === 'utf8') {
    // bytes equal to TextEncoder's output give the ids encode() gives the string (it encodes with TextEncoder too)
    let start = 0;
    for (const end of input.ends) {
      ids.push(tok.encodeBytes(input.bytes.subarray(start, end)));
      start = end;
    }
  } else {
    const options = input.special === undefined ? {} : { special: input.special };
    for (const t of input.texts) ids.push(tok.encode(t, options));
  }
  const seen = new Set<ArrayBuffer>();
  for (let i = 0; i < ids.length; i++) {
    let a = ids[i] as Uint32Array;
    if (a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength || seen.has(a.buffer as ArrayBuffer)) {
      a = a.slice();
      ids[i] = a;
    }
    seen.add(a.buffer as ArrayBuffer);
  }
  return { ids, transfer: [...seen] };
}

export type Post = (reply: WorkerReply, transfer?: Transferable[]) => void;

/** Handles the pool's requests, answering through `post`. */
export function serve(post: Post): (req: WorkerRequest) => Promise<void> {
  let tok: Tokenizer | undefined;
  return async (req) => {
    try {
      if (req.type === 'init') {
        tok = await Tokenizer.fromModel(unpackModel(req.model), {
          wasm: req.module,
          addPrefixSpace: req.addPrefixSpace,
          ...(req.cacheLog2 === undefined ? {} : { cacheLog2: req.cacheLog2 }),
        });
        post({ type: 'ready' });
        return;
      }
      if (!tok) throw new Error('worker got texts before its model (init message missing)');
      const input = req.input;
      if (input.kind === 'utf8' && input.packed) {
        const packed = encodePacked(tok, input.bytes, input.ends, input.packed);
        const transfer = [packed.ids.buffer, packed.lengths.buffer, input.bytes.buffer] as ArrayBuffer[];
        post({ type: 'packed', job: req.job, packed, returned: input.bytes }, transfer);
        return;
      }
      const { ids, transfer } = encodeChunk(tok, input);
      const returned = input.kind === 'utf8' ? input.bytes : undefined;
      if (returned) transfer.push(returned.buffer as ArrayBuffer);
      post({ type: 'done', job: req.job, ids, returned }, transfer);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (req.type === 'init') post({ type: 'error', job: undefined, message });
      else {
        const returned = req.input.kind === 'utf8' ? req.input.bytes : undefined;
        post({ type: 'error', job: req.job, message, returned }, returned ? [returned.buffer] : []);
      }
    }
  };
}

/** Defined only inside a browser worker (module workers included); a window has none. */
const workerScope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;

/** Handles requests one after another, so an encode never overtakes the init still instantiating the core. */
export function inOrder(handle: (req: WorkerRequest) => Promise<void>): (req: WorkerRequest) => void {
  let last = Promise.resolve();
  return (req) => {
    last = last.then(() => handle(req));
  };
}

// imported as a plain module (Node's worker, tests) it does nothing; only a browser worker has a worker scope
if (workerScope !== undefined && globalThis instanceof workerScope) {
  const scope = globalThis as unknown as {
    postMessage(m: unknown, t?: Transferable[]): void;
    onmessage: ((e: MessageEvent) => void) | null;
  };
  const handle = inOrder(serve((reply, transfer) => scope.postMessage(reply, transfer ?? [])));
  scope.onmessage = (e) => handle(e.data as WorkerRequest);
}
