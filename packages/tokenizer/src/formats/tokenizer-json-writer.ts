// Hugging Face tokenizer.json's text for a byte-level BPE model, as HF tokenizers 0.2x writes it.
import type { BpeModel } from '../model.js';
import type { JsonObject } from './json.js';
import { quote } from './quote.js';
import { mergeSpellings, vocabEntries } from './spellings.js';
import type { AddedTokenSpec, TokenizerJsonOptions } from './tokenizer-json.js';

/**
 * The text of tokenizer.json as HF tokenizers 0.2x writes it: merges as `["left", "right"]` pairs, each special token both
 * in `added_tokens` and in `model.vocab` (so HF keeps its id), normalizer null, ByteLevel pre-tokenizer and decoder.
 * Options default to GPT-2's (no prefix space, trimmed offsets); the post-processor defaults to RobertaProcessing when
 * cls and sep are given, else ByteLevel. Added tokens not listed in `options.addedTokens` are special and unstripped.
 */
export function toTokenizerJson(model: BpeModel, options: Partial<TokenizerJsonOptions> = {}): string {
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
