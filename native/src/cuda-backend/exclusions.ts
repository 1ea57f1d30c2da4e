// tfjs-core op tests the 'robusta-cuda' backend is excused from, each with the reason (the same shape as
// test/conformance/exclusions.ts). Every entry names a limit of this first device backend, to be lifted by a kernel.
export interface CudaExclusion {
  /** Substring of the spec's short name. */
  test?: string;
  /** Regular expression every failure message must match. */
  error?: string;
  reason: string;
  skip?: boolean;
}

export const cudaExclusions: CudaExclusion[] = [
  {
    error:
      '^Error: (\\w+: )?the robusta-cuda backend (does not support (complex64|string)|computes on float32 only so far, got ' +
      '(string|complex64)|cannot cast (string|complex64))',
    reason: 'string and complex64 tensors: strings stay in host memory and no device kernel computes on them',
  },
  {
    error: '^Error: \\w+: the robusta-cuda backend computes on float32 only so far, got (int32|bool)$',
    reason:
      'int32 (and bool arithmetic) kernels are not on the device yet: computing them in float32 would round ' +
      'integers above 2^24, so they raise instead',
  },
];
