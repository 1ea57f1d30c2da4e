// Prints comparison results as a plain-text table and writes them as JSON.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '@robusta/cli-kit';
import { type ComparisonResult, isSkipped } from './compare.js';

function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** One table per comparison: name, median/min/max ms, throughput, and the ratio against the strongest peer. */
export function formatTable(results: readonly ComparisonResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const rows: string[][] = [['case', 'median ms', 'min ms', 'max ms', r.unit ?? '', 'vs strongest peer']];
    const all = [r.ours, ...r.peers];
    for (const c of all) {
      if (isSkipped(c)) {
        rows.push([c.name, 'skipped', c.skipped, '', '', '']);
        continue;
      }
      const ratio = c === r.ours ? (r.ratio === undefined ? 'no peer ran' : `${r.ratio.toFixed(2)}x`) : '';
      rows.push([
        c.name,
        fmt(c.medianMs),
        fmt(c.minMs),
        fmt(c.maxMs),
        c.throughput === undefined ? '' : fmt(c.throughput),
        ratio,
      ]);
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
    out.push(`## ${r.title}`);
    for (const row of rows)
      out.push(
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    if (r.strongestPeer !== undefined && r.ratio !== undefined) {
      const paired = r.pairedRatio === undefined ? '' : ` (paired by round: ${r.pairedRatio.toFixed(2)}x)`;
      out.push(`ours / ${r.strongestPeer}: ${r.ratio.toFixed(2)}x${paired}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Writes results as JSON through a temp file, fsync and rename, so a reader never sees half a file. */
export function writeJson(
  path: string,
  results: readonly ComparisonResult[],
  meta: Record<string, unknown> = {},
): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = JSON.stringify({ ...meta, date: new Date().toISOString(), node: process.version, results }, null, 2);
  writeFileAtomicSync(path, `${body}\n`);
}
