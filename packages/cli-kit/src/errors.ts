// The two error kinds every Robusta package throws for bad input, so callers can catch by kind.
// It imports nothing: browser code (the tokenizer) loads it alone as `@robusta/cli-kit/errors`, without node:fs.

/** Prefixes `detail` with what it points at, as `merges.txt:17:3: ...`, or leaves it alone when nothing is named. */
function located(source: string | undefined, detail: string, line?: number, column?: number): string {
  if (source === undefined) return detail;
  return `${source}${line === undefined ? '' : `:${line}`}${column === undefined ? '' : `:${column}`}: ${detail}`;
}

/** A malformed or unsupported file. `source` names the file as the caller gave it; `line`/`column` are 1-based. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly source: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(located(source, detail, line, column));
  }
}

/**
 * A configuration that cannot run: a field of the wrong type, values that contradict each other, a missing piece.
 * `source` names where the config came from (a file, 'command line'); undefined when the message says it itself.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string | undefined,
    readonly detail: string,
  ) {
    super(located(source, detail));
  }
}
