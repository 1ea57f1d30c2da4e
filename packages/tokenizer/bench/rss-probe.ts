// Peak memory of encoding, in its own process: RSS before encoding vs the process's peak RSS after (printed as JSON).

import { Tokenizer } from '../src/tokenizer.js';
import { gpt2Model, sotuDocuments, udhrDocuments } from '../test-support/corpora.js';

const docs = [...sotuDocuments(), ...udhrDocuments()];
const tok = await Tokenizer.fromModel(gpt2Model());
const big = docs.join('\n');
tok.encode('warm up');
globalThis.gc?.();
const base = process.memoryUsage().rss;
let tokens = 0;
for (const d of docs) tokens += tok.encode(d).length;
tokens += tok.encode(big).length; // one ~19 MB string: streaming keeps the core's buffers bounded
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ baseMB: base / 1e6, peakMB: peak / 1e6, aboveBaseMB: (peak - base) / 1e6, tokens }));
