// A progress bar for long CLI work: redrawn in place on a terminal, plain periodic lines otherwise (logs, CI).

export interface ProgressOptions {
  /** What is being counted, e.g. 'MB' or 'merges'. */
  unit: string;
  /** Divide raw counts by this for display (1e6 turns bytes into MB). */
  scale?: number;
  stream?: NodeJS.WriteStream;
  /** Seconds between lines when the stream is not a terminal. */
  logEverySeconds?: number;
}

/** A duration for people: 42s, 3m07s, 2h15m ('?' when unknown). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private readonly start = performance.now();
  private last = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly scale: number;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly options: ProgressOptions,
  ) {
    this.stream = options.stream ?? process.stderr;
    this.scale = options.scale ?? 1;
  }

  /** One status line: done/total, rate, ETA. */
  line(done: number): string {
    const elapsed = (performance.now() - this.start) / 1000;
    const rate = done / this.scale / Math.max(elapsed, 1e-9);
    const d = (done / this.scale).toFixed(this.scale === 1 ? 0 : 1);
    if (this.total === undefined || this.total <= 0)
      return `${this.label} ${d} ${this.options.unit} ${rate.toFixed(1)} ${this.options.unit}/s ${formatDuration(elapsed)}`;
    const frac = Math.min(1, done / this.total);
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const t = (this.total / this.scale).toFixed(this.scale === 1 ? 0 : 1);
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : Number.NaN;
    return `${this.label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${d}/${t} ${this.options.unit} ${rate.toFixed(1)} ${this.options.unit}/s ETA ${formatDuration(eta)}`;
  }

  update(done: number, total?: number): void {
    if (total !== undefined) this.total = total;
    const now = performance.now();
    if (this.stream.isTTY) {
      if (now - this.last < 100) return;
      this.last = now;
      this.stream.write(`\r${this.line(done)}\x1b[K`);
    } else if (now - this.last >= (this.options.logEverySeconds ?? 10) * 1000) {
      this.last = now;
      this.stream.write(`${this.line(done)}\n`);
    }
  }

  finish(done: number): void {
    this.stream.write(`${this.stream.isTTY ? '\r' : ''}${this.line(done)}${this.stream.isTTY ? '\x1b[K' : ''}\n`);
  }
}
