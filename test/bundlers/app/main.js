// The bundler test's app: @robusta/tokenizer as a browser app bundled by Vite, webpack or esbuild imports it, from
// its packed tarball. GPT-2's files and the texts are fetched from the test's server.
import { encodeBatch, Tokenizer } from '@robusta/tokenizer';

const loading = (async () => {
  // paths relative to the page: the browser platform fetches them
  const tok = await Tokenizer.fromFiles({
    vocab: '/vocab/encoder.json',
    merges: '/vocab/vocab.bpe',
    specialTokens: ['<|endoftext|>'],
  });
  const res = await fetch('/texts.json');
  if (!res.ok) throw new Error(`GET /texts.json: HTTP ${res.status}`);
  return { tok, texts: await res.json() };
})();

globalThis.robusta = {
  /** Ids of every text, one thread. */
  async encodeAll() {
    const { tok, texts } = await loading;
    return texts.map((t) => Array.from(tok.encode(t)));
  },
  /** Ids of every text from encodeBatch on `workers` Web Workers; `workerUrl` where a bundler left workers alone. */
  async encodeBatchAll(workers, workerUrl) {
    const { tok, texts } = await loading;
    const ids = await encodeBatch(tok, texts, { workers, ...(workerUrl ? { workerUrl } : {}) });
    return ids.map((a) => Array.from(a));
  },
};
