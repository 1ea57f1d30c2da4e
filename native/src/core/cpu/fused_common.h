// Shared pieces of the fused kernels: the ISA clone attribute and the seeded attention dropout hash, whose twin
// is packages/tfjs/src/fused/dropout.ts (both must give the same mask bit for bit).
#pragma once
#include <cstdint>
#include <cmath>
#include <cstring>

#include "core/cpu/isa.h"

// hot loops get an AVX2+FMA clone chosen at load time, with the x86-64-v2 baseline as the default; other
// architectures compile them once for their baseline (GCC 12 has no target_clones for aarch64)
#if ROBUSTA_X86_64
#define ROBUSTA_FUSED_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ROBUSTA_FUSED_CLONES
#endif

namespace robusta::cpu::fused {

/**
 * exp(x) in float without a library call, so loops over it vectorise: x = n ln2 + r with |r| <= ln2/2 (ln2 split in
 * two so n ln2 is exact), exp(r) by its degree-7 Taylor polynomial (truncation below 6e-9, under float rounding),
 * times 2^n built in the exponent bits. Below -87.3 it gives 0 (as for -inf), above 88.72 +inf; NaN stays NaN.
 */
inline float expFast(float x) {
  const float xc = x > 88.3f ? 88.3f : (x < -87.3f ? -87.3f : x);
  const float n = std::floor(xc * 1.44269504088896341f + 0.5f);
  const float r = (xc - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  const float y = p * scale;
  return x < -87.3f ? 0.0f : (x > 88.72f ? HUGE_VALF : (x != x ? x : y));
}

/**
 * The standard normal CDF Phi(z) = erfc(-z / sqrt 2) / 2 without a library call, so GELU loops vectorise. erfc(x)
 * for x >= 0 is t exp(-x^2 + P(t)) with t = 1 / (1 + x/2) and P the degree-9 Chebyshev-fitted polynomial of Numerical
 * Recipes' erfcc: fractional error below 1.2e-7 everywhere, so Phi keeps float precision even deep in the left tail
 * (where 1 + erf(z) would cancel); erfc(-x) = 2 - erfc(x) gives the other side.
 */
inline float normalCdfFast(float z) {
  const float x = z * -0.70710678118654752440f;  // Phi(z) = erfc(x) / 2
  const float ax = std::fabs(x);
  const float t = 1.0f / (1.0f + 0.5f * ax);
  float p = 0.17087277f;
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  const float e = t * expFast(-ax * ax + p);
  return 0.5f * (x >= 0.0f ? e : 2.0f - e);
}

/** Columns per parallel task when reducing a [rows, cols] matrix over its rows (bias and LayerNorm gradients). */
constexpr int64_t kColumnBlock = 64;

inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/** Key of the 2^32-element block `block` of dropout indices under the seed (seedLo, seedHi). */
inline uint32_t dropoutKey(uint32_t seedLo, uint32_t seedHi, uint32_t block) {
  const uint32_t k = fmix32(seedHi ^ 0x85ebca6bu);
  return fmix32(seedLo ^ fmix32(block ^ k ^ 0xc2b2ae35u));
}

/** 24 random bits of element `lo` (the low 32 bits of its index) in the block with key `key`. */
inline uint32_t dropoutBits(uint32_t key, uint32_t lo) { return fmix32(fmix32(lo ^ key) + 0x9e3779b9u) >> 8; }

/** Dropout of attention probabilities: element i is kept (times `scale`) iff its bits >= threshold. */
struct Dropout {
  bool active = false;
  uint32_t seedLo = 0, seedHi = 0;
  uint32_t threshold = 0;  // ceil(rate * 2^24), computed by the caller
  float scale = 1;         // float32(1 / (1 - rate))

  /** Writes the multiplier (0 or scale) of elements [first, first + n) into out. */
  void multipliers(uint64_t first, int64_t n, float* out) const {
    uint32_t block = static_cast<uint32_t>(first >> 32);
    uint32_t key = dropoutKey(seedLo, seedHi, block);
    for (int64_t j = 0; j < n; ++j) {
      const uint64_t index = first + static_cast<uint64_t>(j);
      if (static_cast<uint32_t>(index >> 32) != block) {
        block = static_cast<uint32_t>(index >> 32);
        key = dropoutKey(seedLo, seedHi, block);
      }
      out[j] = dropoutBits(key, static_cast<uint32_t>(index)) >= threshold ? scale : 0.0f;
    }
  }
};

}  // namespace robusta::cpu::fused
