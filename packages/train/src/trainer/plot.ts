// A self-contained SVG of training and validation loss, with the perplexity exp(loss) on the right-hand axis.
import type { MetricRecord } from './metrics.js';

export interface PlotOptions {
  title?: string;
  width?: number;
  height?: number;
}

/** "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5) return `${(v / 1000).toFixed(0)}k`;
  if (a >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Moving average over a window, so a noisy per-update loss still shows its trend. */
function smooth(ys: number[], window: number): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < ys.length; i++) {
    s += ys[i]!;
    if (i >= window) s -= ys[i - window]!;
    out.push(s / Math.min(i + 1, window));
  }
  return out;
}

export function lossPlotSvg(records: MetricRecord[], o: PlotOptions = {}): string {
  const W = o.width ?? 760;
  const H = o.height ?? 420;
  const m = { left: 64, right: 72, top: 40, bottom: 48 };
  const train = records.filter((r) => r.kind === 'train' && Number.isFinite(r.loss));
  const valid = records.filter((r) => r.kind === 'valid' && Number.isFinite(r.loss));
  const trainY = smooth(
    train.map((r) => r.loss),
    Math.max(1, Math.round(train.length / 100)),
  );
  const xs = [...train, ...valid].map((r) => r.update);
  const ys = [...trainY, ...valid.map((r) => r.loss)];
  const x0 = 0;
  const x1 = Math.max(1, ...xs);
  let y0 = ys.length ? Math.min(...ys) : 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y1 - y0 < 1e-6) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const pad = (y1 - y0) * 0.05;
  y0 = Math.max(0, y0 - pad);
  y1 += pad;
  // the axis ends on ticks, so the lowest loss (the number a reader looks for) sits above a labelled gridline
  const yTicks = niceTicks(y0, y1);
  if (yTicks.length >= 2) {
    const step = (yTicks[1] as number) - (yTicks[0] as number);
    y0 = Math.max(0, Math.floor(y0 / step) * step);
    y1 = Math.ceil(y1 / step) * step;
  }
  const px = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (W - m.left - m.right);
  const py = (y: number) => H - m.bottom - ((y - y0) / (y1 - y0)) * (H - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(o.title ?? 'MLM loss')}</text>`,
  );
  const bottom = H - m.bottom;
  const right = W - m.right;
  for (const t of niceTicks(x0, x1)) {
    const x = px(t).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${m.top}" x2="${x}" y2="${bottom}" stroke="#eee"/>`,
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="black"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  for (const t of niceTicks(y0, y1)) {
    const y = py(t).toFixed(1);
    parts.push(
      `<line x1="${m.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/>`,
      `<line x1="${m.left - 5}" y1="${y}" x2="${m.left}" y2="${y}" stroke="black"/>`,
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`,
      // perplexity is exp(loss), so the same gridline carries both readings
      `<line x1="${right}" y1="${y}" x2="${right + 5}" y2="${y}" stroke="black"/>`,
      `<text x="${right + 8}" y="${y}" dominant-baseline="middle" fill="#c0392b">${fmt(Math.exp(t))}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${right - m.left}" height="${bottom - m.top}" fill="none" stroke="black"/>`,
    `<text x="${(m.left + right) / 2}" y="${H - 10}" text-anchor="middle">update</text>`,
    `<text transform="translate(16 ${(m.top + bottom) / 2}) rotate(-90)" text-anchor="middle">loss (nats / masked token)</text>`,
    `<text transform="translate(${W - 14} ${(m.top + bottom) / 2}) rotate(90)" text-anchor="middle" fill="#c0392b">perplexity = exp(loss)</text>`,
  );
  const path = (pts: [number, number][]) =>
    pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
  if (train.length)
    parts.push(
      `<path d="${path(train.map((r, i) => [r.update, trainY[i]!]))}" fill="none" stroke="#2e86de" stroke-width="1.5"/>`,
    );
  if (valid.length) {
    parts.push(
      `<path d="${path(valid.map((r) => [r.update, r.loss]))}" fill="none" stroke="#c0392b" stroke-width="2"/>`,
    );
    for (const r of valid)
      parts.push(`<circle cx="${px(r.update).toFixed(1)}" cy="${py(r.loss).toFixed(1)}" r="3" fill="#c0392b"/>`);
  }
  const ly = m.top + 14;
  parts.push(
    `<line x1="${right - 170}" y1="${ly}" x2="${right - 150}" y2="${ly}" stroke="#2e86de" stroke-width="2"/>`,
    `<text x="${right - 145}" y="${ly}" dominant-baseline="middle">train loss</text>`,
    `<line x1="${right - 80}" y1="${ly}" x2="${right - 60}" y2="${ly}" stroke="#c0392b" stroke-width="2"/>`,
    `<text x="${right - 55}" y="${ly}" dominant-baseline="middle">valid loss</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
