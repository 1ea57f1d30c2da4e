// Runs in Chromium: imports @robusta/tokenizer's dist/ unbundled as ESM, loads GPT-2's files and texts by URL, encodes.
const pkg = '/pkg/';

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

async function loadTokenizer() {
  // the package entry, unbundled, as a browser user loads it
  const api = await import(`${pkg}index.js`);
  const [encoder, merges] = await Promise.all([fetchText('/vocab/encoder.json'), fetchText('/vocab/vocab.bpe')]);
  const model = api.parseVocabAndMerges(encoder, 'encoder.json', merges, 'vocab.bpe', {
    specialTokens: ['<|endoftext|>'],
  });
  return { api, tok: await api.Tokenizer.fromModel(model) };
}

const loading = loadTokenizer();
let texts = [];

globalThis.robusta = {
  /** Loads the tokenizer (once) and the texts at `url` (a JSON array of strings); returns how many texts. */
  async load(url) {
    await loading;
    texts = JSON.parse(await fetchText(url));
    return texts.length;
  },
  /** Ids of every text, one thread. */
  async encodeAll() {
    const { tok } = await loading;
    return texts.map((t) => Array.from(tok.encode(t)));
  },
  /** Ids of every text from encodeBatch on `workers` module Web Workers. */
  async encodeBatchAll(workers) {
    const { api, tok } = await loading;
    const ids = await api.encodeBatch(tok, texts, { workers });
    return ids.map((a) => Array.from(a));
  },
  /** Encodes every text once in this thread; returns the milliseconds it took. */
  async encodeOnce() {
    const { tok } = await loading;
    const t0 = performance.now();
    for (const t of texts) tok.encode(t);
    return performance.now() - t0;
  },
};
