// Sorts each conformance spec into passed / excluded / needs-kernel / unexpected and builds the JSON summary.

/** One entry of the exclusion list: which specs, and why they cannot pass on our backend. */
export interface Exclusion {
  /** Substring of the spec's short name (full name without ' robusta {} '). */
  test?: string;
  /** Regular expression every failure message must match (for errors that name an unsupported feature). */
  error?: string;
  reason: string;
  /** Do not even run the spec (it hangs, or disturbs the specs after it); otherwise it runs and may fail. */
  skip?: boolean;
}

export interface SpecOutcome {
  name: string;
  passed: boolean;
  messages: string[];
  ms: number;
  /** Kernels of our backend the spec ran. */
  kernels: string[];
  /** Kernels the spec looked up that our backend does not register (each lookup threw "not registered"). */
  missed: string[];
}

export type Verdict = 'passed' | 'unexpected' | 'excluded' | 'needs-kernel';

export interface Classified extends SpecOutcome {
  verdict: Verdict;
  reason?: string;
  /** Kernels the spec asked for that our backend does not register. */
  missing?: string[];
  /** Index of the exclusion entry that excused the failure. */
  excusedBy?: number;
}

const NOT_REGISTERED = /Kernel '(\w+)' not registered for backend '([\w-]+)'/g;

/** Kernels named by tfjs's "not registered" error in any failure message. */
export function missingKernels(messages: string[]): string[] {
  const found = new Set<string>();
  for (const m of messages) for (const match of m.matchAll(NOT_REGISTERED)) found.add(match[1] as string);
  return [...found].sort();
}

export function matchesExclusion(e: Exclusion, name: string, messages: string[]): boolean {
  if (e.test == null && e.error == null) return false;
  if (e.test != null && !name.includes(e.test)) return false;
  if (e.error != null) {
    const re = new RegExp(e.error);
    if (messages.length === 0 || !messages.every((m) => re.test(m))) return false;
  }
  return true;
}

export function classify(o: SpecOutcome, exclusions: readonly Exclusion[]): Classified {
  // A pass that hit a missing kernel only passed because a test expected some error and got that one.
  if (o.passed && o.missed.length > 0) {
    return { ...o, verdict: 'needs-kernel', missing: o.missed, reason: `needs ${o.missed.join(', ')}` };
  }
  if (o.passed) return { ...o, verdict: 'passed' };
  const missing = missingKernels(o.messages);
  // Only when every failure is the missing kernel: an expectation that failed before it is our kernel's fault.
  const onlyMissing = missing.length > 0 && o.messages.every((m) => missingKernels([m]).length > 0);
  if (onlyMissing) return { ...o, verdict: 'needs-kernel', missing, reason: `needs ${missing.join(', ')}` };
  const i = exclusions.findIndex((x) => !x.skip && matchesExclusion(x, o.name, o.messages));
  if (i >= 0) return { ...o, verdict: 'excluded', reason: exclusions[i]?.reason, excusedBy: i };
  return { ...o, verdict: 'unexpected' };
}

export interface SummaryMeta {
  backend: string;
  tfjsCore: string;
  kernels: string[];
  /** Registered kernels that are not tfjs kernels (our fused ops): tfjs-core has no tests for them. */
  ownKernels: string[];
  testFiles: number;
  skippedByList: { test: string; reason: string }[];
  jasmineStatus: string;
  ms: number;
  /** False when --grep/--files narrowed the run (then unused exclusions are not reported as stale). */
  complete: boolean;
}

export function summarize(all: Classified[], exclusions: readonly Exclusion[], meta: SummaryMeta) {
  const by = (v: Verdict) => all.filter((c) => c.verdict === v);
  const needsKernel: Record<string, number> = {};
  for (const c of by('needs-kernel')) for (const k of c.missing ?? []) needsKernel[k] = (needsKernel[k] ?? 0) + 1;
  const kernelUse: Record<string, { passed: number; failed: number }> = {};
  for (const k of meta.kernels) kernelUse[k] = { passed: 0, failed: 0 };
  for (const c of all) {
    for (const k of c.kernels) {
      const use = kernelUse[k];
      if (use == null) continue;
      if (c.verdict === 'passed') use.passed++;
      else use.failed++;
    }
  }
  // An exclusion that excused no failing spec in a complete run is stale: the test passes now, or was renamed.
  const used = new Set(all.map((c) => c.excusedBy));
  const stale = meta.complete ? exclusions.filter((e, i) => !e.skip && !used.has(i)) : [];
  return {
    ...meta,
    counts: {
      specs: all.length,
      passed: by('passed').length,
      unexpected: by('unexpected').length,
      excluded: by('excluded').length,
      skipped: meta.skippedByList.length,
      needsKernel: by('needs-kernel').length,
      staleExclusions: stale.length,
    },
    unexpectedFailures: by('unexpected').map(({ name, messages, kernels }) => ({ name, messages, kernels })),
    staleExclusions: stale,
    // tfjs kernels no passing spec ran: usually ones tfjs-core's ops never call (its logSoftmax is composite)
    untestedKernels: Object.entries(kernelUse)
      .filter(([k, u]) => u.passed === 0 && !meta.ownKernels.includes(k))
      .map(([k]) => k),
    kernelUse,
    needsKernel: Object.fromEntries(Object.entries(needsKernel).sort((a, b) => b[1] - a[1])),
    excluded: by('excluded').map(({ name, reason }) => ({ name, reason })),
    needsKernelTests: by('needs-kernel').map(({ name, missing }) => ({ name, missing })),
  };
}

export type Summary = ReturnType<typeof summarize>;
