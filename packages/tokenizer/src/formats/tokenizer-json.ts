// Hugging Face tokenizer.json for byte-level BPE (GPT-2, RoBERTa): parse into a BpeModel plus options, and write.
import { FormatError } from '@robusta/cli-kit/errors';
import { vocabStringToBytes } from '../bytelevel.js';
import type { BpeModel, SpecialToken } from '../model.js';
import { describeJson, isJsonObject, type JsonObject, type JsonValue, parseJson } from './json.js';
import { quote } from './quote.js';
import { checkVocab, MAX_ID, type MergeSpelling, resolveMerges } from './vocab.js';

// the writer sits in a file of its own, free of FormatError, so the Tokenizer (and its workers) can import it alone
export { toTokenizerJson } from './tokenizer-json-writer.js';

/** One entry of `added_tokens`: matched whole in the input before BPE, with HF's matching flags. */
export interface AddedTokenSpec {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  /** Special tokens are skipped when decoding with skipSpecialTokens. */
  special: boolean;
}

/** What a Tokenizer needs from tokenizer.json beyond the BPE model. */
export interface TokenizerJsonOptions {
  /** ByteLevel pre-tokenizer: prepend a space to text that does not start with one. */
  addPrefixSpace: boolean;
  /** Trim offsets so they exclude the leading space of a token. */
  trimOffsets: boolean;
  /** ByteLevel pre-tokenizer: split with the GPT-2 pattern first (false means the whole text is one piece). */
  useRegex: boolean;
  /** The post-processor: RoBERTa's `<s> A </s></s> B </s>` template, ByteLevel offset trimming only, or none. */
  postProcessor: 'RobertaProcessing' | 'ByteLevel' | null;
  /** Roles: cls/sep from RobertaProcessing, unk from model.unk_token, pad from padding; else by content. */
  cls?: SpecialToken;
  sep?: SpecialToken;
  pad?: SpecialToken;
  mask?: SpecialToken;
  unk?: SpecialToken;
  /** Every added token, in id order; their ids and contents are also the model's specialTokens. */
  addedTokens: AddedTokenSpec[];
}

export interface TokenizerJson {
  model: BpeModel;
  options: TokenizerJsonOptions;
}

const ROLE_CONTENT = { cls: '<s>', sep: '</s>', pad: '<pad>', mask: '<mask>', unk: '<unk>' } as const;

/** Parses tokenizer.json; anything that would change ids and that we do not implement is an error naming its key. */
export function parseTokenizerJson(text: string, source: string): TokenizerJson {
  const root = parseJson(text, source);
  const r = new JsonReader(source);
  if (!isJsonObject(root)) return r.fail('(top level)', `expected an object, found ${describeJson(root)}`);
  readNormalizer(r, root.normalizer ?? null);
  const pre = readPreTokenizer(r, root.pre_tokenizer);
  readDecoder(r, root.decoder ?? null);
  const m = r.obj(root.model, 'model');
  checkBpeOptions(r, m);
  const added = readAddedTokens(r, root.added_tokens ?? []);
  const { tokens, merges, idOf } = readVocabAndMerges(r, m, added);
  const findToken = (content: string): number | undefined => added.byContent.get(content)?.id ?? idOf.get(content);
  const post = readPostProcessor(r, root.post_processor ?? null, findToken);
  const roles: Roles = {
    ...post.roles,
    ...readUnk(r, m.unk_token ?? null, findToken),
    ...readPadding(r, root.padding ?? null, findToken),
  };
  for (const [role, content] of Object.entries(ROLE_CONTENT) as [keyof typeof ROLE_CONTENT, string][]) {
    const a = added.byContent.get(content);
    if (!roles[role] && a) roles[role] = { id: a.id, content };
  }
  const model: BpeModel = {
    tokens,
    merges,
    specialTokens: added.tokens.map(({ id, content }) => ({ id, content })),
  };
  const options: TokenizerJsonOptions = {
    addPrefixSpace: pre.addPrefixSpace,
    trimOffsets: post.trimOffsets ?? pre.trimOffsets,
    useRegex: pre.useRegex,
    postProcessor: post.postProcessor,
    ...roles,
    addedTokens: added.tokens,
  };
  return { model, options };
}

type Roles = Partial<Record<keyof typeof ROLE_CONTENT, SpecialToken>>;

/** Reads typed values out of the parsed JSON; every failure is a FormatError naming the source and the JSON path. */
class JsonReader {
  constructor(readonly source: string) {}

  fail(key: string, detail: string): never {
    throw new FormatError(this.source, `${key}: ${detail}`);
  }

  obj(v: JsonValue | undefined, key: string): JsonObject {
    return isJsonObject(v) ? v : this.fail(key, `expected an object, found ${describeJson(v)}`);
  }

  bool(o: JsonObject, key: string, path: string, dflt: boolean): boolean {
    const v = o[key];
    if (v === undefined) return dflt;
    return typeof v === 'boolean' ? v : this.fail(`${path}.${key}`, `expected true or false, found ${describeJson(v)}`);
  }

  typeOf(o: JsonObject, path: string): string | undefined {
    const t = o.type;
    if (t === undefined || typeof t === 'string') return t;
    return this.fail(`${path}.type`, `expected a string, found ${describeJson(t)}`);
  }
}

/** `normalizer`: only none; every HF normalizer changes text (NFC, Lowercase, Strip, ...). */
function readNormalizer(r: JsonReader, normalizer: JsonValue): void {
  if (normalizer === null) return;
  const n = r.obj(normalizer, 'normalizer');
  const emptySequence =
    r.typeOf(n, 'normalizer') === 'Sequence' && Array.isArray(n.normalizers) && !n.normalizers.length;
  if (!emptySequence) r.fail('normalizer', `only null is supported, found type ${quote(String(n.type))}`);
}

/** `pre_tokenizer`: ByteLevel only, with its three flags. */
function readPreTokenizer(
  r: JsonReader,
  json: JsonValue | undefined,
): { addPrefixSpace: boolean; useRegex: boolean; trimOffsets: boolean } {
  const pre = r.obj(json, 'pre_tokenizer');
  const preType = r.typeOf(pre, 'pre_tokenizer');
  if (preType !== 'ByteLevel')
    r.fail('pre_tokenizer.type', `only "ByteLevel" is supported, found ${describeJson(preType)}`);
  return {
    addPrefixSpace: r.bool(pre, 'add_prefix_space', 'pre_tokenizer', true),
    useRegex: r.bool(pre, 'use_regex', 'pre_tokenizer', true),
    trimOffsets: r.bool(pre, 'trim_offsets', 'pre_tokenizer', true),
  };
}

/** `decoder`: ByteLevel or none. */
function readDecoder(r: JsonReader, decoder: JsonValue): void {
  if (decoder === null) return;
  const t = r.typeOf(r.obj(decoder, 'decoder'), 'decoder');
  if (t !== 'ByteLevel')
    r.fail('decoder.type', `only "ByteLevel" or a null decoder is supported, found ${describeJson(t)}`);
}

/** `model`'s settings: plain byte-level BPE, without dropout, affixes, byte fallback or ignored merges. */
function checkBpeOptions(r: JsonReader, m: JsonObject): void {
  const modelType = r.typeOf(m, 'model');
  if (modelType !== undefined && modelType !== 'BPE') {
    r.fail('model.type', `only "BPE" is supported, found ${quote(modelType)}`);
  }
  const dropout = m.dropout ?? null;
  if (dropout !== null && dropout !== 0)
    r.fail('model.dropout', `BPE dropout is not supported, found ${describeJson(dropout)}`);
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    const v = m[key] ?? null;
    if (v !== null && v !== '')
      r.fail(`model.${key}`, `must be null or empty for byte-level BPE, found ${describeJson(v)}`);
  }
  if (r.bool(m, 'byte_fallback', 'model', false))
    r.fail('model.byte_fallback', 'byte fallback is not supported, found true');
  if (r.bool(m, 'ignore_merges', 'model', false)) r.fail('model.ignore_merges', 'is not supported, found true');
}

interface AddedTokens {
  /** In id order. */
  tokens: AddedTokenSpec[];
  byContent: Map<string, AddedTokenSpec>;
}

/** `added_tokens`: read before model.vocab, since their contents may be outside the byte-level alphabet there. */
function readAddedTokens(r: JsonReader, addedJson: JsonValue): AddedTokens {
  if (!Array.isArray(addedJson)) r.fail('added_tokens', `expected an array, found ${describeJson(addedJson)}`);
  const tokens: AddedTokenSpec[] = [];
  const byId = new Map<number, AddedTokenSpec>();
  const byContent = new Map<string, AddedTokenSpec>();
  (addedJson as JsonValue[]).forEach((a, i) => {
    const path = `added_tokens[${i}]`;
    const o = r.obj(a, path);
    const { id, content } = o;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
      r.fail(`${path}.id`, `expected a non-negative integer, found ${describeJson(id)}`);
    }
    if (typeof content !== 'string' || content === '') {
      r.fail(`${path}.content`, `expected a non-empty string, found ${describeJson(content)}`);
    }
    const special = r.bool(o, 'special', path, false);
    const spec: AddedTokenSpec = {
      id: id as number,
      content: content as string,
      singleWord: r.bool(o, 'single_word', path, false),
      lstrip: r.bool(o, 'lstrip', path, false),
      rstrip: r.bool(o, 'rstrip', path, false),
      normalized: r.bool(o, 'normalized', path, !special),
      special,
    };
    if (byId.has(spec.id)) r.fail(`${path}.id`, `duplicate id ${spec.id}`);
    if (byContent.has(spec.content)) r.fail(`${path}.content`, `duplicate token ${quote(spec.content)}`);
    byId.set(spec.id, spec);
    byContent.set(spec.content, spec);
    tokens.push(spec);
  });
  tokens.sort((a, b) => a.id - b.id);
  return { tokens, byContent };
}

/** `model.vocab` and `model.merges`, with the added tokens given their ids' bytes where the vocab has none. */
function readVocabAndMerges(
  r: JsonReader,
  m: JsonObject,
  added: AddedTokens,
): { tokens: BpeModel['tokens']; merges: Uint32Array; idOf: Map<string, number> } {
  const vocabJson = r.obj(m.vocab, 'model.vocab');
  const vocab = checkVocab(vocabJson, new Set(added.byContent.keys()), { source: r.source, label: 'model.vocab: ' });
  for (const a of added.tokens) {
    const inVocab = vocab.idOf.get(a.content);
    if (inVocab !== undefined && inVocab !== a.id) {
      r.fail('added_tokens', `${quote(a.content)} has id ${a.id}, but model.vocab gives it id ${inVocab}`);
    }
    if (inVocab === undefined) {
      if (vocab.tokens[a.id] !== undefined) {
        r.fail('added_tokens', `${quote(a.content)} has id ${a.id}, which model.vocab uses for another token`);
      }
      // Same rule as for specials inside the vocab: a content spelled in the alphabet also gives the id its bytes.
      while (vocab.tokens.length <= a.id) vocab.tokens.push(undefined);
      vocab.tokens[a.id] = vocabStringToBytes(a.content);
    }
  }

  const mergesJson = m.merges ?? [];
  if (!Array.isArray(mergesJson)) r.fail('model.merges', `expected an array, found ${describeJson(mergesJson)}`);
  const spellings: MergeSpelling[] = (mergesJson as JsonValue[]).map((mj, i) => {
    let parts: JsonValue[] | string[] | undefined;
    if (typeof mj === 'string') parts = mj.split(' ');
    else if (Array.isArray(mj)) parts = mj;
    const [left, right] = parts ?? [];
    if (parts?.length !== 2 || typeof left !== 'string' || typeof right !== 'string' || !left || !right) {
      return r.fail(`model.merges[${i}]`, `expected "left right" or ["left", "right"], found ${JSON.stringify(mj)}`);
    }
    return { left, right };
  });
  const merges = resolveMerges(spellings, vocab, (i, detail) => r.fail(`model.merges[${i}]`, detail));
  return { tokens: vocab.tokens, merges, idOf: vocab.idOf };
}

/**
 * `post_processor`: RobertaProcessing (its cls and sep become roles), ByteLevel, or none. Its `trim_offsets`, when
 * there is one, overrides the pre-tokenizer's.
 */
function readPostProcessor(
  r: JsonReader,
  pp: JsonValue,
  findToken: (content: string) => number | undefined,
): { postProcessor: TokenizerJsonOptions['postProcessor']; trimOffsets?: boolean; roles: Roles } {
  const roles: Roles = {};
  if (pp === null) return { postProcessor: null, roles };
  const p = r.obj(pp, 'post_processor');
  const t = r.typeOf(p, 'post_processor');
  if (t !== 'RobertaProcessing' && t !== 'ByteLevel') {
    r.fail(
      'post_processor.type',
      `only "RobertaProcessing", "ByteLevel" or null is supported, found ${describeJson(t)}`,
    );
  }
  const postProcessor = t as 'RobertaProcessing' | 'ByteLevel';
  const trimOffsets = r.bool(p, 'trim_offsets', 'post_processor', true);
  if (t === 'RobertaProcessing') {
    for (const role of ['cls', 'sep'] as const) {
      const pair = p[role];
      const [content, id] = Array.isArray(pair) ? pair : [];
      if (!Array.isArray(pair) || pair.length !== 2 || typeof content !== 'string' || typeof id !== 'number') {
        return r.fail(`post_processor.${role}`, `expected ["content", id], found ${JSON.stringify(pair)}`);
      }
      if (findToken(content) !== id) {
        r.fail(`post_processor.${role}`, `${quote(content)} with id ${id} is not a token of this vocabulary`);
      }
      roles[role] = { id, content };
    }
  }
  return { postProcessor, trimOffsets, roles };
}

/** `model.unk_token`: the unk role. */
function readUnk(r: JsonReader, unk: JsonValue, findToken: (content: string) => number | undefined): Roles {
  if (unk === null) return {};
  const id = typeof unk === 'string' ? findToken(unk) : undefined;
  if (id === undefined) r.fail('model.unk_token', `${describeJson(unk)} is not a token of this vocabulary`);
  return { unk: { id: id as number, content: unk as string } };
}

/** `padding.pad_token` and `pad_id`: the pad role, when both are given. */
function readPadding(r: JsonReader, padding: JsonValue, findToken: (content: string) => number | undefined): Roles {
  if (!(isJsonObject(padding) && typeof padding.pad_token === 'string' && typeof padding.pad_id === 'number'))
    return {};
  if (findToken(padding.pad_token) !== padding.pad_id) {
    r.fail(
      'padding.pad_token',
      `${quote(padding.pad_token)} with id ${padding.pad_id} is not a token of this vocabulary`,
    );
  }
  return { pad: { id: padding.pad_id, content: padding.pad_token } };
}
