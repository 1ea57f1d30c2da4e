// The RoBERTa learning-rate schedule: linear warmup to the peak, then linear decay to zero at the last update.

export interface ScheduleOptions {
  peakLr: number;
  warmupUpdates: number;
  maxUpdates: number;
}

/**
 * Learning rate for the 1-based update `update`: peak * update / warmup during warmup, then a straight line from the
 * peak (at `warmupUpdates`) to 0 (at `maxUpdates`); 0 past the end. A pure function, so a resumed run recomputes it.
 */
export function learningRate(update: number, o: ScheduleOptions): number {
  if (update <= 0 || update >= o.maxUpdates) return 0;
  if (o.warmupUpdates > 0 && update <= o.warmupUpdates) return (o.peakLr * update) / o.warmupUpdates;
  return (o.peakLr * (o.maxUpdates - update)) / (o.maxUpdates - o.warmupUpdates);
}
