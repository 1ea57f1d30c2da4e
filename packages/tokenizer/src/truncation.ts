// Which token ranges of one or two sequences survive truncation, and the overflowing windows, as HF `tokenizers` does.

/** How a pair is cut down to fit: HF `TruncationStrategy` (`longest_first` also applies to a single sequence). */
export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

/** A half-open token range [start, end) of one input sequence. */
export interface TokenRange {
  start: number;
  end: number;
}

/** One model window: a range of A and, for a pair, a range of B. The first window of a plan is the main one. */
export interface WindowPlan {
  a: TokenRange;
  b?: TokenRange;
}

export interface TruncationParams {
  /** Tokens allowed for A and B together, special tokens already taken off. */
  maxLength: number;
  strategy: TruncationStrategy;
  /** Tokens each overflowing window repeats from the one before it. */
  stride: number;
}

/**
 * Windows over a sequence of `length` tokens cut to `maxLen`, each starting `maxLen - stride` after the previous,
 * stopping at the first one that reaches the end (HF `Encoding::truncate`, right direction). `maxLen === 0` is HF's
 * odd case: the kept part is empty and the whole sequence becomes the single overflowing window.
 */
export function sequenceWindows(length: number, maxLen: number, stride: number, what = 'sequence'): TokenRange[] {
  if (maxLen >= length) return [{ start: 0, end: length }];
  if (maxLen === 0)
    return [
      { start: 0, end: 0 },
      { start: 0, end: length },
    ];
  // HF asserts here and the native addon aborts the whole process; we throw instead.
  if (stride >= maxLen) {
    throw new Error(
      `truncation: stride ${stride} must be smaller than the ${maxLen} tokens ${what} is cut to ` +
        `(maxLength minus the special tokens, shared between the sequences)`,
    );
  }
  const windows: TokenRange[] = [];
  for (let start = 0; ; start += maxLen - stride) {
    const end = Math.min(start + maxLen, length);
    windows.push({ start, end });
    if (end === length) return windows;
  }
}

/**
 * Plans truncation of A (`lengthA` tokens) and optional B (`lengthB`), returning the main window first, then every
 * overflowing window in HF's order. HF truncates A and B separately into windows a0..ak and b0..bm and then merges
 * them as a cross product: (a1,b0), (a1,b1)..(a1,bm), (a2,b0)..., then (a0,b1)..(a0,bm). HF also nests copies of
 * (ai,bj) inside (ai,b0); those duplicate top-level windows and are not reproduced.
 */
export function planTruncation(lengthA: number, lengthB: number | undefined, params: TruncationParams): WindowPlan[] {
  const { maxLength, strategy, stride } = params;
  const whole = (n: number): TokenRange => ({ start: 0, end: n });
  let wa = [whole(lengthA)];
  let wb = lengthB === undefined ? undefined : [whole(lengthB)];

  if (maxLength === 0) {
    // HF empties both sequences whatever the strategy (its max_length == 0 branch runs before the strategy match).
    wa = sequenceWindows(lengthA, 0, stride);
    if (lengthB !== undefined) wb = sequenceWindows(lengthB, 0, stride);
  } else if (lengthA + (lengthB ?? 0) > maxLength) {
    const toRemove = lengthA + (lengthB ?? 0) - maxLength;
    if (strategy === 'longest_first') {
      if (lengthB === undefined) {
        wa = sequenceWindows(lengthA, maxLength, stride, 'the sequence');
      } else {
        const [na, nb] = longestFirstLengths(lengthA, lengthB, maxLength);
        wa = sequenceWindows(lengthA, na, stride, 'the first sequence');
        wb = sequenceWindows(lengthB, nb, stride, 'the second sequence');
      }
    } else {
      const second = strategy === 'only_second';
      if (second && lengthB === undefined) {
        throw new Error("truncation: strategy 'only_second' needs a second sequence, but only one was given");
      }
      const target = second ? (lengthB as number) : lengthA;
      if (target <= toRemove) {
        const which = second ? 'second' : 'first';
        const other = second ? lengthA : (lengthB ?? 0);
        throw new Error(
          `truncation: with '${strategy}' the ${which} sequence (${target} tokens) cannot be cut enough: ` +
            `maxLength leaves ${maxLength} tokens besides the special ones and the untouched sequence has ${other} ` +
            `(HF: "Sequence to truncate too short to respect the provided max_length")`,
        );
      }
      const windows = sequenceWindows(target, target - toRemove, stride, `the ${second ? 'second' : 'first'} sequence`);
      if (second) wb = windows;
      else wa = windows;
    }
  }

  const a0 = wa[0] as TokenRange;
  if (wb === undefined) return wa.map((a) => ({ a }));
  const b0 = wb[0] as TokenRange;
  const plans: WindowPlan[] = [{ a: a0, b: b0 }];
  for (const a of wa.slice(1)) for (const b of wb) plans.push({ a, b });
  for (const b of wb.slice(1)) plans.push({ a: a0, b });
  return plans;
}

/**
 * HF's longest-first split of `maxLength` between a pair: if the shorter fits beside the longer cut to the rest, only
 * the longer is cut; otherwise both get half and the longer input gets the odd token.
 */
function longestFirstLengths(lengthA: number, lengthB: number, maxLength: number): [number, number] {
  const swap = lengthA > lengthB;
  let n1 = Math.min(lengthA, lengthB);
  let n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
  if (n1 + n2 > maxLength) {
    n1 = Math.floor(maxLength / 2);
    n2 = n1 + (maxLength % 2);
  }
  return swap ? [n2, n1] : [n1, n2];
}
