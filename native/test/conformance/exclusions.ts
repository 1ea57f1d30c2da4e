// tfjs-core op tests the 'robusta' backend is excused from, each with the reason. This list is our honesty: keep
// entries specific, and prune the ones the summary reports as stale. Tests that fail only because they call a kernel
// we do not register are not listed here: the runner classifies them from tfjs's "Kernel 'X' not registered" error
// and reports them per kernel, so they start counting as soon as that kernel lands.
import type { Exclusion } from './classify.js';

export const exclusions: Exclusion[] = [
  {
    // 'Error: the robusta backend does not support dtype string' (elementwise comparisons) and
    // 'Error: Concat: the robusta backend does not support string tensors' (Concat, Slice, Pack, Unpack, Tile)
    error: '^Error: (\\w+: )?the robusta backend does not support (dtype string|string tensors)$',
    reason:
      'string tensors: they stay in JS and no robusta kernel computes on or moves them (RoBERTa tokenizes outside tfjs)',
  },
];
