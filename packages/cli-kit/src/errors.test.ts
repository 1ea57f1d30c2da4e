// Tests for the shared error kinds: class, name, the message that names the source, and the browser-safe subpath.
import { readFileSync } from 'node:fs';
import * as kit from '@robusta/cli-kit';
import * as kitErrors from '@robusta/cli-kit/errors';
import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from './index.js';

describe('FormatError', () => {
  it('is an Error named FormatError whose message starts with the file', () => {
    const e = new FormatError('model.safetensors', 'invalid safetensors: header length is 0');
    expect(e).toBeInstanceOf(FormatError);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ConfigError);
    expect(e.name).toBe('FormatError');
    expect(e.message).toBe('model.safetensors: invalid safetensors: header length is 0');
    expect(e.source).toBe('model.safetensors');
    expect(e.detail).toBe('invalid safetensors: header length is 0');
    expect(String(e)).toBe('FormatError: model.safetensors: invalid safetensors: header length is 0');
  });

  it('adds the line and column when known', () => {
    expect(new FormatError('merges.txt', 'bad row', 17).message).toBe('merges.txt:17: bad row');
    expect(new FormatError('tokenizer.json', 'invalid JSON', 3, 9).message).toBe('tokenizer.json:3:9: invalid JSON');
  });
});

describe('ConfigError', () => {
  it('is an Error named ConfigError whose message starts with the source', () => {
    const e = new ConfigError('config.json', 'hiddenSize must be an integer >= 1, got 0');
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(FormatError);
    expect(e.name).toBe('ConfigError');
    expect(e.message).toBe('config.json: hiddenSize must be an integer >= 1, got 0');
    expect(e.source).toBe('config.json');
  });

  it('keeps the detail alone when no source is named', () => {
    const e = new ConfigError(undefined, "'preset' must be one of tiny, base, large");
    expect(e.message).toBe("'preset' must be one of tiny, base, large");
    expect(e.source).toBeUndefined();
  });
});

describe('@robusta/cli-kit/errors', () => {
  it('is the same module as the main entry gives, so instanceof holds across the two import paths', () => {
    expect(kitErrors.FormatError).toBe(kit.FormatError);
    expect(kitErrors.ConfigError).toBe(kit.ConfigError);
    expect(new kitErrors.FormatError('a.txt', 'bad')).toBeInstanceOf(kit.FormatError);
    expect(new kit.ConfigError(undefined, 'bad')).toBeInstanceOf(kitErrors.ConfigError);
  });

  it('imports nothing, so a browser loads it without the node modules of the main entry', () => {
    const source = readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\b|\bimport\(|\brequire\(/m);
  });
});
