// Shapes and NumPy broadcasting (core/shape.h) and the matMul plans built on them (planMatMul, broadcastOperand):
// results, strides, batch offsets, and errors that name the shapes.
#include <functional>
#include <string>
#include <vector>

#include "core/cpu/gemm.h"
#include "core/error.h"
#include "core/shape.h"
#include "core/tests/harness.h"

namespace {

using robusta::Shape;
using robusta::shapeString;
using robusta::test::fail;

/** Runs f, which must throw robusta::Error with `needle` in its message. */
void expectError(const std::function<void()>& f, const std::string& needle, const std::string& what) {
  try {
    f();
  } catch (const robusta::Error& e) {
    if (std::string(e.what()).find(needle) == std::string::npos)
      fail(what, ": message '", e.what(), "' lacks '", needle, "'");
    return;
  }
  fail(what, ": did not throw");
}

void expectShape(const Shape& got, const Shape& want, const std::string& what) {
  if (got != want) fail(what, ": got ", shapeString(got), ", expected ", shapeString(want));
}

ROBUSTA_TEST(shape, numel_and_shape_string) {
  EXPECT(robusta::numel({}) == 1, "a scalar has one element");
  EXPECT(robusta::numel({2, 0, 3}) == 0);
  EXPECT(robusta::numel({2, 3, 4}) == 24);
  EXPECT(shapeString({}) == "[]" && shapeString({2, 3}) == "[2,3]");
}

ROBUSTA_TEST(shape, broadcast_follows_numpy) {
  expectShape(robusta::broadcastShapes({2, 1, 3}, {4, 1}), {2, 4, 3}, "[2,1,3] & [4,1]");
  expectShape(robusta::broadcastShapes({}, {5}), {5}, "[] & [5]");
  expectShape(robusta::broadcastShapes({5}, {}), {5}, "[5] & []");
  expectShape(robusta::broadcastShapes({1}, {0}), {0}, "[1] & [0]: an empty axis wins over 1");
  expectShape(robusta::broadcastShapes({3, 1, 1}, {1, 4, 1}), {3, 4, 1}, "[3,1,1] & [1,4,1]");
  expectError([] { robusta::broadcastShapes({3}, {4}); }, "shapes [3] and [4] do not broadcast", "[3] & [4]");
  expectError([] { robusta::broadcastShapes({2, 3}, {3, 3}); }, "[2,3] and [3,3]", "[2,3] & [3,3]");
}

ROBUSTA_TEST(shape, broadcast_strides_are_zero_along_broadcast_axes) {
  EXPECT((robusta::broadcastStrides({4, 1}, {2, 4, 3}) == std::vector<int64_t>{0, 1, 0}));
  EXPECT((robusta::broadcastStrides({3}, {2, 3}) == std::vector<int64_t>{0, 1}));
  EXPECT((robusta::broadcastStrides({2, 3}, {2, 3}) == std::vector<int64_t>{3, 1}));
  EXPECT((robusta::broadcastStrides({}, {2, 3}) == std::vector<int64_t>{0, 0}));
}

ROBUSTA_TEST(shape, matmul_plan_sizes_and_broadcast_batch_offsets) {
  using robusta::cpu::planMatMul;
  auto p = planMatMul({2, 1, 6, 4}, {1, 3, 4, 5}, false, false);
  EXPECT(p.M == 6 && p.K == 4 && p.N == 5 && p.batch == 6);
  expectShape(p.outShape, {2, 3, 6, 5}, "[2,1,6,4] x [1,3,4,5]");
  // batch (i, j) reads A's matrix i and B's matrix j
  EXPECT((p.aOffset == std::vector<int64_t>{0, 0, 0, 24, 24, 24}));
  EXPECT((p.bOffset == std::vector<int64_t>{0, 20, 40, 0, 20, 40}));

  auto t = planMatMul({3, 9, 7}, {3, 5, 9}, true, true);
  EXPECT(t.M == 7 && t.K == 9 && t.N == 5 && t.batch == 3 && t.aOffset.empty() && t.bOffset.empty());
  auto r = planMatMul({4, 6, 8}, {8, 10}, false, false);  // b broadcast over a's batch
  EXPECT(r.batch == 4 && (r.bOffset == std::vector<int64_t>{0, 0, 0, 0}));
  EXPECT((r.aOffset == std::vector<int64_t>{0, 48, 96, 144}));
  auto k0 = planMatMul({4, 0}, {0, 3}, false, false);
  EXPECT(k0.M == 4 && k0.K == 0 && k0.N == 3);

  expectError([] { planMatMul({2, 3}, {4, 5}, false, false); },
              "inner dimensions differ: A [2,3] and B [4,5] give K = 3 for A and 4 for B", "K mismatch");
  expectError([] { planMatMul({3, 2}, {5, 4}, true, true); }, "A [3,2] (transposed) and B [5,4] (transposed)",
              "K mismatch, transposed");
  expectError([] { planMatMul({2, 3, 4}, {3, 4, 5}, false, false); },
              "batch dimensions of A [2,3,4] and B [3,4,5] do not broadcast", "batch mismatch");
  expectError([] { planMatMul({3}, {3, 4}, false, false); }, "rank >= 2", "rank 1");
}

ROBUSTA_TEST(shape, bias_operand_strides_and_refusals) {
  using robusta::cpu::broadcastOperand;
  auto col = broadcastOperand({5}, {2}, 3, 5, "bias");
  EXPECT(col.rowStride == 0 && col.colStride == 1 && (col.batchOffset == std::vector<int64_t>{0, 0}));
  auto row = broadcastOperand({2, 3, 1}, {2}, 3, 5, "bias");
  EXPECT(row.rowStride == 1 && row.colStride == 0 && (row.batchOffset == std::vector<int64_t>{0, 3}));
  auto full = broadcastOperand({3, 5}, {}, 3, 5, "prelu weights");
  EXPECT(full.rowStride == 5 && full.colStride == 1 && full.batchOffset.size() == 1);
  expectError([] { broadcastOperand({5, 2, 4}, {}, 2, 4, "bias"); },
              "bias of shape [5,2,4] does not broadcast to the matMul output [2,4]", "bias larger than the output");
  expectError([] { broadcastOperand({3}, {}, 2, 4, "bias"); }, "bias of shape [3]", "bias of the wrong width");
}

}  // namespace
