// The public surface: the FormatError it re-exports is @robusta/cli-kit's own class, so callers catch one kind.
import * as kit from '@robusta/cli-kit';
import * as kitErrors from '@robusta/cli-kit/errors';
import { describe, expect, it } from 'vitest';
import { FormatError, parseTiktokenRanks } from './index.js';

describe('@robusta/tokenizer FormatError', () => {
  it('is the class of @robusta/cli-kit and of its browser-safe @robusta/cli-kit/errors', () => {
    expect(FormatError).toBe(kit.FormatError);
    expect(FormatError).toBe(kitErrors.FormatError);
  });

  it('a parser error is caught as a FormatError by either import path, message unchanged', () => {
    let thrown: unknown;
    try {
      parseTiktokenRanks('IQ== 0\nnot*base64 1\n', 'gpt2.tiktoken');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(kit.FormatError);
    expect(thrown).toBeInstanceOf(kitErrors.FormatError);
    expect(thrown).not.toBeInstanceOf(kit.ConfigError);
    expect(thrown).toMatchObject({ name: 'FormatError', source: 'gpt2.tiktoken', line: 2 });
    expect((thrown as Error).message).toBe('gpt2.tiktoken:2: "not*base64" is not base64');
  });
});
