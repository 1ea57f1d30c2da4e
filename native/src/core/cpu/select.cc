// Select (see select.h): equal shapes run one flat loop; otherwise rows of the output's last axis, each input
// either walking the row or repeating one value (broadcast stride 0).
#include "core/cpu/select.h"

#include <algorithm>

#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu {

namespace {

constexpr int64_t kGrain = 1 << 15;

template <typename T>
void selectTyped(const uint8_t* c, const Shape& cs, const T* t, const Shape& ts, const T* e, const Shape& es, T* out,
                 const Shape& os) {
  const int64_t n = numel(os);
  if (n == 0) return;
  if (numel(cs) == n && numel(ts) == n && numel(es) == n) {
    ThreadPool::instance().parallelFor(n, kGrain, [&](int64_t b, int64_t x) {
      for (int64_t i = b; i < x; ++i) {
        // both loads first, so the choice compiles to a select instead of a branch on random conditions
        const T tv = t[i], ev = e[i];
        out[i] = c[i] ? tv : ev;
      }
    });
    return;
  }
  const size_t rank = os.size();
  const auto sc = broadcastStrides(cs, os), st = broadcastStrides(ts, os), se = broadcastStrides(es, os);
  const int64_t inner = rank == 0 ? 1 : os[rank - 1];
  const int64_t ic = rank == 0 ? 0 : sc[rank - 1], it = rank == 0 ? 0 : st[rank - 1], ie = rank == 0 ? 0 : se[rank - 1];
  ThreadPool::instance().parallelFor(n / inner, std::max<int64_t>(1, kGrain / inner), [&](int64_t b, int64_t x) {
    for (int64_t r = b; r < x; ++r) {
      int64_t rem = r, oc = 0, ot = 0, oe = 0;
      for (size_t d = rank - 1; d-- > 0;) {
        const int64_t idx = rem % os[d];
        rem /= os[d];
        oc += idx * sc[d];
        ot += idx * st[d];
        oe += idx * se[d];
      }
      T* po = out + r * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const T tv = t[ot + i * it], ev = e[oe + i * ie];
        po[i] = c[oc + i * ic] ? tv : ev;
      }
    }
  });
}

}  // namespace

void select(size_t elemBytes, const uint8_t* cond, const Shape& cs, const void* t, const Shape& ts, const void* e,
            const Shape& es, void* out, const Shape& os) {
  if (broadcastShapes(broadcastShapes(cs, ts), es) != os) {
    throw Error("Select: condition " + shapeString(cs) + ", t " + shapeString(ts) + " and e " + shapeString(es) +
                " do not broadcast to the output shape " + shapeString(os));
  }
  switch (elemBytes) {
    case 1:
      return selectTyped(cond, cs, static_cast<const uint8_t*>(t), ts, static_cast<const uint8_t*>(e), es,
                         static_cast<uint8_t*>(out), os);
    case 4:
      return selectTyped(cond, cs, static_cast<const uint32_t*>(t), ts, static_cast<const uint32_t*>(e), es,
                         static_cast<uint32_t*>(out), os);
    default: throw Error("Select: unsupported element size " + std::to_string(elemBytes));
  }
}

}  // namespace robusta::cpu
