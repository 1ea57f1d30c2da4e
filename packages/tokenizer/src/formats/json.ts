// A strict JSON reader for vocabulary files: errors carry file:line:column, and a repeated object key is an error.
// JSON.parse cannot do either: its messages lack positions on some inputs, and it silently keeps the last duplicate.
import { FormatError } from '@robusta/cli-kit/errors';
import { quote } from './quote.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text; objects have no prototype, so keys such as `__proto__` are plain data. */
export function parseJson(text: string, source: string): JsonValue {
  let pos = 0;

  const fail = (detail: string, at = pos): never => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new FormatError(source, `invalid JSON: ${detail}`, line, at - lineStart + 1);
  };

  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  };

  const unexpected = (expected: string): never =>
    pos >= text.length
      ? fail(`unexpected end of file, expected ${expected}`)
      : fail(`unexpected ${quote(text[pos] as string)}, expected ${expected}`);

  const parseString = (): string => {
    // pos is at the opening quote
    const start = ++pos;
    let out = '';
    let chunk = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        out += text.slice(chunk, pos++);
        return out;
      }
      if (Number.isNaN(c)) return fail('unterminated string', start - 1);
      if (c < 32) return fail('control character in string');
      if (c !== 92) {
        pos++;
        continue;
      }
      out += text.slice(chunk, pos);
      const e = text[pos + 1];
      pos += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape', pos - 2);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          fail('bad escape', pos - 2);
      }
      chunk = pos;
    }
  };

  const parseValue = (): JsonValue => {
    skipSpace();
    const c = text[pos];
    if (c === '"') return parseString();
    if (c === '{') {
      pos++;
      const obj: JsonObject = Object.create(null);
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') unexpected('a string key');
        const keyAt = pos;
        const key = parseString();
        if (Object.hasOwn(obj, key)) fail(`duplicate key ${quote(key)}`, keyAt);
        skipSpace();
        if (text[pos] !== ':') unexpected('":"');
        pos++;
        obj[key] = parseValue();
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return obj;
        } else unexpected('"," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const arr: JsonValue[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue());
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return arr;
        } else unexpected('"," or "]"');
      }
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos += m[0].length;
      return Number(m[0]);
    }
    return unexpected('a value');
  };

  // A UTF-8 byte order mark is tolerated, as most JSON writers on Windows emit one.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const value = parseValue();
  skipSpace();
  if (pos < text.length) unexpected('end of file');
  return value;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Describes a JSON value's kind for error messages: `a string "x"`, `the number 1.5`, `an array`. */
export function describeJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${quote(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${String(v)}`;
}
