// The loss plot: 1-2-5 ticks, and a loss axis that ends on labelled ticks around every point plotted.
import { describe, expect, it } from 'vitest';
import type { MetricRecord } from './metrics.js';
import { lossPlotSvg, niceTicks } from './plot.js';

/** The loss axis' tick labels, read back from the SVG (right-aligned text left of the plot). */
function lossTicks(svg: string): number[] {
  return [...svg.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]+)</g)].map((m) => Number(m[1]));
}

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and stays inside the range', () => {
    expect(niceTicks(0, 1200)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(niceTicks(6.05, 9.2)).toEqual([7, 8, 9]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('lossPlotSvg', () => {
  it('labels a tick at or below the lowest loss and at or above the highest', () => {
    const records: MetricRecord[] = [];
    for (let u = 1; u <= 300; u++) {
      const loss = 6.1 + 3 * Math.exp(-u / 40);
      records.push({
        kind: 'train',
        update: u,
        loss,
        lr: 1e-3,
        gradNorm: 1,
        tokensPerSecond: 1,
        tokens: u,
        elapsedSeconds: u,
      });
    }
    records.push({ kind: 'valid', update: 0, loss: 9.04, perplexity: Math.exp(9.04), maskedTokens: 100 });
    records.push({ kind: 'valid', update: 300, loss: 6.17, perplexity: Math.exp(6.17), maskedTokens: 100 });
    const ticks = lossTicks(lossPlotSvg(records));
    const losses = records.map((r) => r.loss);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(Math.min(...losses));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(Math.max(...losses));
  });
});
