// Gather, segment sum and one-hot (see gather.h). Validation happens before any parallel loop: kernels never throw
// on a worker thread.
#include "core/cpu/gather.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/cpu/js_number.h"
#include "core/cpu/transform.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {
constexpr int64_t kGrain = 1 << 15;
}

void gather(size_t elemBytes, const void* x, const int32_t* idx, void* out, int64_t B, int64_t O, int64_t D, int64_t S,
            int64_t N) {
  for (int64_t i = 0; i < B * N; ++i) {
    if (idx[i] < 0 || idx[i] >= D) {
      throw Error("GatherV2: the index value " + std::to_string(idx[i]) + " is not in [0, " + std::to_string(D - 1) + "]");
    }
  }
  const int64_t rows = B * O * N;
  if (rows == 0 || S == 0) return;
  const size_t rowBytes = size_t(S) * elemBytes;
  const auto* src = static_cast<const uint8_t*>(x);
  auto* dst = static_cast<uint8_t*>(out);
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, kGrain / S), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t n = r % N, bo = r / N, batch = bo / O;
      const int64_t from = bo * D + idx[batch * N + n];
      std::memcpy(dst + size_t(r) * rowBytes, src + size_t(from) * rowBytes, rowBytes);
    }
  });
}

void unsortedSegmentSum(DType xType, const void* x, const int32_t* ids, int64_t N, int64_t S, float* out,
                        int64_t numSegments) {
  if (numSegments <= 0 || S <= 0) return;
  if (xType == DType::Bool) throw Error("UnsortedSegmentSum: x must be float32 or int32, not bool");
  // each task owns a range of segments (output rows): it zeroes them, then scans all ids for its own
  const int64_t tasks = std::min<int64_t>(numSegments, int64_t(ThreadPool::instance().size()) * 4);
  ThreadPool::instance().parallelFor(tasks, 1, [&](int64_t tb, int64_t te) {
    for (int64_t t = tb; t < te; ++t) {
      const int64_t s0 = numSegments * t / tasks, s1 = numSegments * (t + 1) / tasks;
      std::memset(out + s0 * S, 0, size_t((s1 - s0) * S) * sizeof(float));
      for (int64_t n = 0; n < N; ++n) {
        const int64_t s = ids[n];
        if (s < s0 || s >= s1) continue;
        float* o = out + s * S;
        if (xType == DType::F32) {
          const float* xr = static_cast<const float*>(x) + n * S;
          for (int64_t c = 0; c < S; ++c) o[c] += xr[c];
        } else {
          const int32_t* xr = static_cast<const int32_t*>(x) + n * S;
          for (int64_t c = 0; c < S; ++c) o[c] += static_cast<float>(xr[c]);
        }
      }
    }
  });
}

void oneHot(const int32_t* idx, int64_t N, int64_t depth, DType dtype, double onValue, double offValue, void* out) {
  fillConstant(dtype, out, N * depth, offValue);
  const size_t bytes = dtypeSize(dtype);
  alignas(4) uint8_t on[4];
  fillConstant(dtype, on, 1, onValue);
  auto* o = static_cast<uint8_t*>(out);
  for (int64_t n = 0; n < N; ++n) {
    if (idx[n] >= 0 && idx[n] < depth) std::memcpy(o + size_t(n * depth + idx[n]) * bytes, on, bytes);
  }
}

}  // namespace robusta::cpu
