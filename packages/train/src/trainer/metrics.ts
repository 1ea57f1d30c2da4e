// Run metrics as JSONL (one record per update and per validation), trimmed on resume so replayed updates are not doubled.
import { appendFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@robusta/cli-kit';

export interface TrainRecord {
  kind: 'train';
  update: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
  /** Tokens trained on so far. */
  tokens: number;
  elapsedSeconds: number;
  /** NSP loss of the pair formats (`loss` stays the MLM part). */
  nspLoss?: number;
}

export interface ValidRecord {
  kind: 'valid';
  update: number;
  loss: number;
  perplexity: number;
  maskedTokens: number;
  /** NSP loss and accuracy of the pair formats. */
  nspLoss?: number;
  nspAccuracy?: number;
}

export type MetricRecord = TrainRecord | ValidRecord;

export class MetricsLog {
  readonly records: MetricRecord[] = [];
  constructor(readonly path: string) {}

  /** Loads earlier records, keeping those up to `update` (a resumed run replays anything after its checkpoint). */
  async resumeAt(update: number): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      text = '';
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as MetricRecord;
        if (r.update <= update) this.records.push(r);
      } catch {
        // a line torn by a kill mid-append: dropped
      }
    }
    await writeFileAtomic(this.path, this.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  async add(r: MetricRecord): Promise<void> {
    this.records.push(r);
    await appendFile(this.path, `${JSON.stringify(r)}\n`);
  }
}
