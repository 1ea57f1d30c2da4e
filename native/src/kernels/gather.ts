// Native declarations of the index-driven kernels (core/cpu/gather.h): GatherV2, UnsortedSegmentSum, OneHot.
import type { Storage } from '../addon.js';
import type { DType } from './op_codes.js';

declare module '../addon.js' {
  interface NativeAddon {
    /** out [B, O, N, S] = x [B, O, D, S] gathered by indices [B, N] along D; throws on an index outside [0, D). */
    gatherRows(
      elemBytes: number,
      x: Storage,
      indices: Storage,
      out: Storage,
      B: number,
      O: number,
      D: number,
      S: number,
      N: number,
    ): void;
    unsortedSegmentSum(
      xType: DType,
      x: Storage,
      segmentIds: Storage,
      rows: number,
      rowSize: number,
      out: Storage,
      numSegments: number,
    ): void;
    oneHot(
      indices: Storage,
      n: number,
      depth: number,
      dtype: DType,
      onValue: number,
      offValue: number,
      out: Storage,
    ): void;
  }
}
