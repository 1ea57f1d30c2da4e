// Hugging Face tokenizer.json for byte-level BPE (GPT-2, RoBERTa): load into a BpeModel plus options, and save.
import { vocabStringToBytes } from '../bytelevel.js';
import type { BpeModel, SpecialToken } from '../model.js';
import { FormatError, quote } from './errors.js';
import { describeJson, isJsonObject, type JsonObject, type JsonValue, parseJson } from './json.js';
import { checkVocab, MAX_ID, type MergeSpelling, mergeSpellings, resolveMerges, vocabEntries } from './vocab.js';

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
  const fail = (key: string, detail: string): never => {
    throw new FormatError(source, `${key}: ${detail}`);
  };
  if (!isJsonObject(root)) return fail('(top level)', `expected an object, found ${describeJson(root)}`);
  const obj = (v: JsonValue | undefined, key: string): JsonObject =>
    isJsonObject(v) ? v : fail(key, `expected an object, found ${describeJson(v)}`);
  const bool = (o: JsonObject, key: string, path: string, dflt: boolean): boolean => {
    const v = o[key];
    if (v === undefined) return dflt;
    return typeof v === 'boolean' ? v : fail(`${path}.${key}`, `expected true or false, found ${describeJson(v)}`);
  };
  const typeOf = (o: JsonObject, path: string): string | undefined => {
    const t = o.type;
    if (t === undefined || typeof t === 'string') return t;
    return fail(`${path}.type`, `expected a string, found ${describeJson(t)}`);
  };

  // normalizer: only none; every HF normalizer changes text (NFC, Lowercase, Strip, ...).
  const normalizer = root.normalizer ?? null;
  if (normalizer !== null) {
    const n = obj(normalizer, 'normalizer');
    const emptySequence =
      typeOf(n, 'normalizer') === 'Sequence' && Array.isArray(n.normalizers) && !n.normalizers.length;
    if (!emptySequence) fail('normalizer', `only null is supported, found type ${quote(String(n.type))}`);
  }

  const pre = obj(root.pre_tokenizer, 'pre_tokenizer');
  const preType = typeOf(pre, 'pre_tokenizer');
  if (preType !== 'ByteLevel')
    fail('pre_tokenizer.type', `only "ByteLevel" is supported, found ${describeJson(preType)}`);
  const addPrefixSpace = bool(pre, 'add_prefix_space', 'pre_tokenizer', true);
  const useRegex = bool(pre, 'use_regex', 'pre_tokenizer', true);
  let trimOffsets = bool(pre, 'trim_offsets', 'pre_tokenizer', true);

  const decoder = root.decoder ?? null;
  if (decoder !== null) {
    const t = typeOf(obj(decoder, 'decoder'), 'decoder');
    if (t !== 'ByteLevel')
      fail('decoder.type', `only "ByteLevel" or a null decoder is supported, found ${describeJson(t)}`);
  }

  // model
  const m = obj(root.model, 'model');
  const modelType = typeOf(m, 'model');
  if (modelType !== undefined && modelType !== 'BPE') {
    fail('model.type', `only "BPE" is supported, found ${quote(modelType)}`);
  }
  const dropout = m.dropout ?? null;
  if (dropout !== null && dropout !== 0)
    fail('model.dropout', `BPE dropout is not supported, found ${describeJson(dropout)}`);
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    const v = m[key] ?? null;
    if (v !== null && v !== '')
      fail(`model.${key}`, `must be null or empty for byte-level BPE, found ${describeJson(v)}`);
  }
  if (bool(m, 'byte_fallback', 'model', false))
    fail('model.byte_fallback', 'byte fallback is not supported, found true');
  if (bool(m, 'ignore_merges', 'model', false)) fail('model.ignore_merges', 'is not supported, found true');

  // added tokens: validated first, since their contents may be outside the byte-level alphabet in model.vocab
  const addedJson = root.added_tokens ?? [];
  if (!Array.isArray(addedJson)) fail('added_tokens', `expected an array, found ${describeJson(addedJson)}`);
  const addedTokens: AddedTokenSpec[] = [];
  const addedById = new Map<number, AddedTokenSpec>();
  const addedByContent = new Map<string, AddedTokenSpec>();
  (addedJson as JsonValue[]).forEach((a, i) => {
    const path = `added_tokens[${i}]`;
    const o = obj(a, path);
    const { id, content } = o;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
      fail(`${path}.id`, `expected a non-negative integer, found ${describeJson(id)}`);
    }
    if (typeof content !== 'string' || content === '') {
      fail(`${path}.content`, `expected a non-empty string, found ${describeJson(content)}`);
    }
    const special = bool(o, 'special', path, false);
    const spec: AddedTokenSpec = {
      id: id as number,
      content: content as string,
      singleWord: bool(o, 'single_word', path, false),
      lstrip: bool(o, 'lstrip', path, false),
      rstrip: bool(o, 'rstrip', path, false),
      normalized: bool(o, 'normalized', path, !special),
      special,
    };
    if (addedById.has(spec.id)) fail(`${path}.id`, `duplicate id ${spec.id}`);
    if (addedByContent.has(spec.content)) fail(`${path}.content`, `duplicate token ${quote(spec.content)}`);
    addedById.set(spec.id, spec);
    addedByContent.set(spec.content, spec);
    addedTokens.push(spec);
  });
  addedTokens.sort((a, b) => a.id - b.id);

  const vocabJson = obj(m.vocab, 'model.vocab');
  const vocab = checkVocab(vocabJson, new Set(addedByContent.keys()), { source, label: 'model.vocab: ' });
  for (const a of addedTokens) {
    const inVocab = vocab.idOf.get(a.content);
    if (inVocab !== undefined && inVocab !== a.id) {
      fail('added_tokens', `${quote(a.content)} has id ${a.id}, but model.vocab gives it id ${inVocab}`);
    }
    if (inVocab === undefined) {
      if (vocab.tokens[a.id] !== undefined) {
        fail('added_tokens', `${quote(a.content)} has id ${a.id}, which model.vocab uses for another token`);
      }
      // Same rule as for specials inside the vocab: a content spelled in the alphabet also gives the id its bytes.
      while (vocab.tokens.length <= a.id) vocab.tokens.push(undefined);
      vocab.tokens[a.id] = vocabStringToBytes(a.content);
    }
  }

  const mergesJson = m.merges ?? [];
  if (!Array.isArray(mergesJson)) fail('model.merges', `expected an array, found ${describeJson(mergesJson)}`);
  const spellings: MergeSpelling[] = (mergesJson as JsonValue[]).map((mj, i) => {
    let parts: JsonValue[] | string[] | undefined;
    if (typeof mj === 'string') parts = mj.split(' ');
    else if (Array.isArray(mj)) parts = mj;
    const [left, right] = parts ?? [];
    if (parts?.length !== 2 || typeof left !== 'string' || typeof right !== 'string' || !left || !right) {
      return fail(`model.merges[${i}]`, `expected "left right" or ["left", "right"], found ${JSON.stringify(mj)}`);
    }
    return { left, right };
  });
  const merges = resolveMerges(spellings, vocab, (i, detail) => fail(`model.merges[${i}]`, detail));

  // post-processor and roles
  let postProcessor: TokenizerJsonOptions['postProcessor'] = null;
  const roles: Partial<Record<keyof typeof ROLE_CONTENT, SpecialToken>> = {};
  const findToken = (content: string): number | undefined => addedByContent.get(content)?.id ?? vocab.idOf.get(content);
  const pp = root.post_processor ?? null;
  if (pp !== null) {
    const p = obj(pp, 'post_processor');
    const t = typeOf(p, 'post_processor');
    if (t !== 'RobertaProcessing' && t !== 'ByteLevel') {
      fail(
        'post_processor.type',
        `only "RobertaProcessing", "ByteLevel" or null is supported, found ${describeJson(t)}`,
      );
    }
    postProcessor = t as 'RobertaProcessing' | 'ByteLevel';
    trimOffsets = bool(p, 'trim_offsets', 'post_processor', true);
    if (t === 'RobertaProcessing') {
      for (const role of ['cls', 'sep'] as const) {
        const pair = p[role];
        const [content, id] = Array.isArray(pair) ? pair : [];
        if (!Array.isArray(pair) || pair.length !== 2 || typeof content !== 'string' || typeof id !== 'number') {
          return fail(`post_processor.${role}`, `expected ["content", id], found ${JSON.stringify(pair)}`);
        }
        if (findToken(content) !== id) {
          fail(`post_processor.${role}`, `${quote(content)} with id ${id} is not a token of this vocabulary`);
        }
        roles[role] = { id, content };
      }
    }
  }
  const unk = m.unk_token ?? null;
  if (unk !== null) {
    const id = typeof unk === 'string' ? findToken(unk) : undefined;
    if (id === undefined) fail('model.unk_token', `${describeJson(unk)} is not a token of this vocabulary`);
    roles.unk = { id: id as number, content: unk as string };
  }
  const padding = root.padding ?? null;
  if (isJsonObject(padding) && typeof padding.pad_token === 'string' && typeof padding.pad_id === 'number') {
    if (findToken(padding.pad_token) !== padding.pad_id) {
      fail(
        'padding.pad_token',
        `${quote(padding.pad_token)} with id ${padding.pad_id} is not a token of this vocabulary`,
      );
    }
    roles.pad = { id: padding.pad_id, content: padding.pad_token };
  }
  for (const [role, content] of Object.entries(ROLE_CONTENT) as [keyof typeof ROLE_CONTENT, string][]) {
    const a = addedByContent.get(content);
    if (!roles[role] && a) roles[role] = { id: a.id, content };
  }

  const model: BpeModel = {
    tokens: vocab.tokens,
    merges,
    specialTokens: addedTokens.map(({ id, content }) => ({ id, content })),
  };
  return { model, options: { addPrefixSpace, trimOffsets, useRegex, postProcessor, ...roles, addedTokens } };
}

/**
 * Writes tokenizer.json as HF tokenizers 0.2x writes it: merges as `["left", "right"]` pairs, each special token both
 * in `added_tokens` and in `model.vocab` (so HF keeps its id), normalizer null, ByteLevel pre-tokenizer and decoder.
 * Options default to GPT-2's (no prefix space, trimmed offsets); the post-processor defaults to RobertaProcessing when
 * cls and sep are given, else ByteLevel. Added tokens not listed in `options.addedTokens` are special and unstripped.
 */
export function saveTokenizerJson(model: BpeModel, options: Partial<TokenizerJsonOptions> = {}): string {
  const addPrefixSpace = options.addPrefixSpace ?? false;
  const trimOffsets = options.trimOffsets ?? true;
  const useRegex = options.useRegex ?? true;
  const postProcessor =
    options.postProcessor !== undefined
      ? options.postProcessor
      : options.cls && options.sep
        ? 'RobertaProcessing'
        : 'ByteLevel';
  const given = new Map((options.addedTokens ?? []).map((a) => [a.id, a]));
  const added = [...model.specialTokens]
    .sort((a, b) => a.id - b.id)
    .map(({ id, content, lstrip, rstrip }): AddedTokenSpec => {
      const a = given.get(id);
      given.delete(id);
      if (a && a.content !== content) {
        throw new Error(
          `tokenizer.json: added token ${id} is ${quote(a.content)}, but the model says ${quote(content)}`,
        );
      }
      return (
        a ?? {
          id,
          content,
          singleWord: false,
          lstrip: lstrip ?? false,
          rstrip: rstrip ?? false,
          normalized: false,
          special: true,
        }
      );
    });
  for (const a of given.values()) {
    throw new Error(`tokenizer.json: added token ${quote(a.content)} (id ${a.id}) is not a special token of the model`);
  }
  // A special whose id has bytes must be spelled as those bytes (vocabEntries checks), so HF and we agree on it.
  const vocab = vocabEntries(model, 'tokenizer.json');
  const merges = mergeSpellings(model, 'tokenizer.json');

  const byteLevel = {
    type: 'ByteLevel',
    add_prefix_space: addPrefixSpace,
    trim_offsets: trimOffsets,
    use_regex: useRegex,
  };
  let post: JsonObject | null = null;
  if (postProcessor === 'ByteLevel') post = byteLevel;
  if (postProcessor === 'RobertaProcessing') {
    if (!options.cls || !options.sep) throw new Error('tokenizer.json: RobertaProcessing needs the cls and sep tokens');
    post = {
      type: 'RobertaProcessing',
      sep: [options.sep.content, options.sep.id],
      cls: [options.cls.content, options.cls.id],
      trim_offsets: trimOffsets,
      add_prefix_space: addPrefixSpace,
    };
  }
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added.map((a) => ({
      id: a.id,
      content: a.content,
      single_word: a.singleWord,
      lstrip: a.lstrip,
      rstrip: a.rstrip,
      normalized: a.normalized,
      special: a.special,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: post,
    decoder: byteLevel,
  };
  const modelHead = {
    type: 'BPE',
    dropout: null,
    unk_token: options.unk?.content ?? null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
  };
  // Written by hand from here on: a JS object would reorder integer-like tokens ("0", "1") ahead of the rest.
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const modelText = JSON.stringify(modelHead, null, 2).slice(0, -2).replaceAll('\n', '\n  ');
  const vocabText = vocab.map(([k, id]) => `      ${JSON.stringify(k)}: ${id}`).join(',\n');
  const mergesText = merges.map(([l, r]) => `      [${JSON.stringify(l)}, ${JSON.stringify(r)}]`).join(',\n');
  return (
    `${headText},\n  "model": ${modelText},\n    "vocab": {\n${vocabText}\n    },\n` +
    `    "merges": [\n${mergesText}\n    ]\n  }\n}\n`
  );
}
