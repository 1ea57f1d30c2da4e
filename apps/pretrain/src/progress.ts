// Training progress: one line redrawn in place on a terminal (update, tokens/s, loss, LR, ETA), plain lines otherwise.
import { formatDuration as duration } from '@robusta/cli-kit';

export interface ProgressState {
  update: number;
  maxUpdates: number;
  tokensPerSecond: number;
  loss: number;
  lr: number;
  /** Seconds spent in this process so far, and the updates done in it (for the ETA). */
  seconds: number;
  updatesThisRun: number;
  /** The pair formats' next-sentence loss. */
  nspLoss?: number;
}

/** An exponential average: the per-update loss of a small batch jumps by more than the trend moves. */
function smooth(avg: number, x: number): number {
  return Number.isNaN(avg) ? x : 0.9 * avg + 0.1 * x;
}

export class TrainProgress {
  private last = 0;
  private smoothLoss = Number.NaN;
  private smoothNsp = Number.NaN;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stdout,
    private readonly logEverySeconds = 10,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  line(s: ProgressState): string {
    this.smoothLoss = smooth(this.smoothLoss, s.loss);
    if (s.nspLoss !== undefined) this.smoothNsp = smooth(this.smoothNsp, s.nspLoss);
    const frac = s.update / s.maxUpdates;
    const eta = s.updatesThisRun > 0 ? ((s.maxUpdates - s.update) * s.seconds) / s.updatesThisRun : Number.NaN;
    const tps = s.tokensPerSecond >= 1000 ? `${(s.tokensPerSecond / 1000).toFixed(1)}k` : s.tokensPerSecond.toFixed(0);
    const head = `update ${s.update}/${s.maxUpdates}`;
    const nsp = Number.isNaN(this.smoothNsp) ? '' : `  nsp ${this.smoothNsp.toFixed(3)}`;
    const tail = `${tps} tok/s  loss ${this.smoothLoss.toFixed(3)}${nsp}  lr ${s.lr.toExponential(2)}  ETA ${duration(eta)}`;
    if (!this.tty) return `${head} (${(frac * 100).toFixed(1)}%)  ${tail}`;
    const width = 20;
    const filled = Math.round(Math.min(1, frac) * width);
    return `${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`;
  }

  update(s: ProgressState): void {
    const text = this.line(s);
    const now = performance.now();
    if (this.tty) {
      if (now - this.last < 100 && s.update < s.maxUpdates) return;
      this.last = now;
      this.stream.write(`\r${text}\x1b[K`);
    } else if (now - this.last >= this.logEverySeconds * 1000 || s.update === s.maxUpdates) {
      this.last = now;
      this.stream.write(`${text}\n`);
    }
  }

  /** A message on its own line, without breaking the bar. */
  log(message: string): void {
    this.stream.write(this.tty ? `\r\x1b[K${message}\n` : `${message}\n`);
  }

  done(): void {
    if (this.tty) this.stream.write('\n');
  }
}
