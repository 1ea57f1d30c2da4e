// How run time grows with input size, measured so that a busy machine cannot pass for a complexity regression.

export interface Growth {
  /** Best time on the large input over best time on the small one. */
  ratio: number;
  smallMs: number;
  largeMs: number;
}

/**
 * Milliseconds of CPU time this process has used. Unlike wall-clock time it does not count the time other processes
 * hold the cores, so load elsewhere on the machine cannot stretch one side of a ratio and not the other.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function timed(run: () => unknown): number {
  const start = cpuMs();
  run();
  return cpuMs() - start;
}

/**
 * Best-of-`tries` CPU times of `small` and `large`, run alternately so that a busy phase of the machine slows both alike,
 * after one untimed run of each (JIT tiers, buffers grown to size). A best time is the least disturbed one.
 */
export function growth(small: () => unknown, large: () => unknown, tries = 3): Growth {
  small();
  large();
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < tries; i++) {
    smallMs = Math.min(smallMs, timed(small));
    largeMs = Math.min(largeMs, timed(large));
  }
  return { ratio: largeMs / smallMs, smallMs, largeMs };
}

/**
 * `growth` measured up to `attempts` times, stopping at the first ratio under `bound`: load can push one attempt over
 * a generous bound, while a real regression (8x the input taking 64x the time) stays over it in every attempt.
 * Returns every attempt, for the failure message.
 */
export function growthUnder(bound: number, small: () => unknown, large: () => unknown, attempts = 3): Growth[] {
  const out: Growth[] = [];
  for (let i = 0; i < attempts; i++) {
    out.push(growth(small, large));
    if ((out.at(-1) as Growth).ratio < bound) break;
  }
  return out;
}

/** The attempts as text: `ratio (small ms -> large ms)` each. */
export function describeGrowth(attempts: readonly Growth[]): string {
  return attempts
    .map((g) => `${g.ratio.toFixed(1)}x (${g.smallMs.toFixed(1)} ms -> ${g.largeMs.toFixed(1)} ms)`)
    .join(', ');
}
