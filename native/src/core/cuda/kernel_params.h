// Types passed by value between the host launchers (core/cuda/kernels.cc) and the CUDA kernels (kernels/*.cuh): one
// definition that both compilers read (plain C++, no CUDA or host-only headers), so the two layouts cannot drift.
#pragma once

namespace robusta_kernels {

/** Most axes a binary op's broadcast walks after size-1 and contiguous axes are merged. */
constexpr int kMaxRank = 6;

/** Output dims and each input's element strides along them (0 on broadcast axes). */
struct Broadcast {
  int rank;
  long long dims[kMaxRank];
  long long strideA[kMaxRank];
  long long strideB[kMaxRank];
};

/** Most axes of a strided copy. */
constexpr int kMaxCopyRank = 8;

/** Output dims and the input's element stride along each (possibly negative or zero), reading from element `base`. */
struct StridedView {
  int rank;
  long long base;
  long long dims[kMaxCopyRank];
  long long strides[kMaxCopyRank];
};

/** Modes of robusta_cast_numeric, between float32, int32 and bool bytes. */
enum CastMode { kF32ToI32, kI32ToF32, kF32ToBool, kI32ToBool, kBoolToF32, kBoolToI32, kCastModeCount };
/** Input and output element bytes of each CastMode. */
constexpr int kCastInBytes[kCastModeCount] = {4, 4, 4, 4, 1, 1};
constexpr int kCastOutBytes[kCastModeCount] = {4, 4, 1, 1, 4, 4};

}  // namespace robusta_kernels
