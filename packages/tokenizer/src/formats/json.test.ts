// JSON text with positions: errors name the line and column of what is malformed.
import { describe, expect, it } from 'vitest';
import { parseJson } from './json.js';

describe('parseJson', () => {
  it('agrees with JSON.parse on valid JSON, escapes and numbers included', () => {
    const samples = [
      '{"a": [1, -2.5e3, 0, true, false, null], "b\\u0120\\n\\"": {"c": "\\\\ \\/ \\t \\ud83d\\ude00"}}',
      '  [ ]  ',
      '"\u4e00"',
      '\ufeff{"x": 1}',
    ];
    for (const s of samples) expect(parseJson(s, 'f')).toEqual(JSON.parse(s.replace(/^\ufeff/, '')));
  });

  it('keeps a "__proto__" key as plain data', () => {
    const v = parseJson('{"__proto__": 7}', 'f') as Record<string, number>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe(7);
  });

  it.each([
    ['{"a": 1,}', /^f:1:9: invalid JSON: unexpected "}", expected a string key/],
    ['[1 2]', /^f:1:4: invalid JSON: unexpected "2", expected "," or "]"/],
    ['{"a": 1}\n\n x', /^f:3:2: invalid JSON: unexpected "x", expected end of file/],
    ['"abc', /^f:1:1: invalid JSON: unterminated string/],
    ['"\\x"', /^f:1:2: invalid JSON: bad escape/],
    ['{"a": 01}', /^f:1:8: invalid JSON: unexpected "1"/],
    ['{"k": 1, "k": 2}', /^f:1:10: invalid JSON: duplicate key "k"/],
  ])('rejects %s with file:line:column', (text, message) => {
    expect(() => parseJson(text, 'f')).toThrow(message);
  });
});
