// Binding of the code enums (core/op_codes.h): opCodes() reports each enum's names and codes as compiled, so a test
// can check them against src/core/op_codes.json and the TS enums name by name.
#include <napi.h>

#include "binding/registry.h"
#include "core/cpu/elementwise.h"
#include "core/cpu/gemm.h"
#include "core/cpu/reduce.h"
#include "core/cpu/scan.h"
#include "core/dtype.h"
#include "core/gemm_precision.h"

namespace robusta::binding {

namespace {

/** opCodes() -> { UnaryOp: { Neg: 0, ... }, BinaryOp: ..., ReduceOp: ..., ScanOp: ..., Activation: ..., DType: ..., GemmPrecision: ... } */
Napi::Value opCodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object all = Napi::Object::New(env);
  Napi::Object codes;
  auto start = [&](const char* name) {
    codes = Napi::Object::New(env);
    all.Set(name, codes);
  };
  start("UnaryOp");
#define ROBUSTA_SET(op) codes.Set(#op, int(cpu::UnaryOp::op));
  ROBUSTA_UNARY_OP_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("BinaryOp");
#define ROBUSTA_SET(op) codes.Set(#op, int(cpu::BinaryOp::op));
  ROBUSTA_BINARY_OP_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("ReduceOp");
#define ROBUSTA_SET(op) codes.Set(#op, int(cpu::ReduceOp::op));
  ROBUSTA_REDUCE_OP_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("ScanOp");
#define ROBUSTA_SET(op) codes.Set(#op, int(cpu::ScanOp::op));
  ROBUSTA_SCAN_OP_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("Activation");
#define ROBUSTA_SET(op) codes.Set(#op, int(cpu::Activation::op));
  ROBUSTA_ACTIVATION_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("DType");
#define ROBUSTA_SET(op) codes.Set(#op, int(DType::op));
  ROBUSTA_DTYPE_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  start("GemmPrecision");
#define ROBUSTA_SET(op) codes.Set(#op, int(GemmPrecision::op));
  ROBUSTA_GEMM_PRECISION_CODES(ROBUSTA_SET)
#undef ROBUSTA_SET
  return all;
}

void registerOpCodes(Napi::Env env, Napi::Object exports) {
  exports.Set("opCodes", Napi::Function::New(env, opCodes, "opCodes"));
}

}  // namespace

ROBUSTA_BINDING(registerOpCodes);

}  // namespace robusta::binding
