// Reading CLI inputs: whole files or stdin as text, and line streams that keep each line's '\n' (as HF's trainer reads).
import { createReadStream, readFileSync, statSync } from 'node:fs';

/** The text of each named file, or of stdin when none is named. */
export function readInputs(files: readonly string[]): { name: string; text: string }[] {
  if (files.length === 0) return [{ name: '<stdin>', text: readFileSync(0, 'utf8') }];
  return files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') }));
}

/** Total size in bytes of the files (for progress). */
export function totalBytes(files: readonly string[]): number {
  return files.reduce((s, f) => s + statSync(f).size, 0);
}

/** Lines of the files in order, each with its trailing '\n'; reports bytes read through onBytes. */
export async function* lines(files: readonly string[], onBytes: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for (const f of files) {
    let carry = '';
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) {
      onBytes((chunk as Buffer).length);
      const text = carry + decoder.decode(chunk as Buffer, { stream: true });
      let at = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
        yield text.slice(at, nl + 1);
        at = nl + 1;
      }
      carry = text.slice(at);
    }
    carry += decoder.decode();
    if (carry !== '') yield carry;
  }
}
