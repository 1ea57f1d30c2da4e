// Binding functions for the CUDA device: status (announced, never guessed), device buffers, our kernels and cuBLASLt
// GEMM; minimal, for tests and benchmarks until a device tfjs backend uses them. Nothing here runs without a driver.
#include <napi.h>

#include <string>

#include "binding/args.h"
#include "binding/cuda_buffer.h"
#include "binding/registry.h"
#include "core/cuda/cublaslt.h"
#include "core/cuda/kernels.h"
#include "core/cuda/memory.h"
#include "core/cuda/runtime.h"

namespace robusta::binding {

namespace {

/** cudaStatus(): { available, reason?, device?, computeCapability?, driverVersion?, multiprocessors?, totalBytes?,
 *  cublasLt?: string | false, cublasLtReason? } */
Napi::Value cudaStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const cuda::DeviceStatus& st = cuda::status();
  Napi::Object o = Napi::Object::New(env);
  o.Set("available", st.available);
  if (!st.available) {
    o.Set("reason", st.reason);
    return o;
  }
  o.Set("device", st.name);
  o.Set("computeCapability", std::to_string(st.ccMajor) + "." + std::to_string(st.ccMinor));
  o.Set("driverVersion", std::to_string(st.driverVersion / 1000) + "." + std::to_string(st.driverVersion % 1000 / 10));
  o.Set("multiprocessors", st.multiprocessors);
  o.Set("totalBytes", double(st.totalBytes));
  cuda::BlasStatus blas = cuda::blasStatus();
  if (blas.available) {
    o.Set("cublasLt", blas.detail);
  } else {
    o.Set("cublasLt", false);
    o.Set("cublasLtReason", blas.detail);
  }
  return o;
}

Napi::Value cudaAlloc(const Napi::CallbackInfo& info) {
  return CudaBuffer::constructor->New({Napi::Number::New(info.Env(), number(info, 0, "cudaAlloc(bytes)"))});
}

/** cudaUpload(buffer, typedArray): copies the array's bytes to the start of the device buffer. */
Napi::Value cudaUpload(const Napi::CallbackInfo& info) {
  CudaBuffer& b = CudaBuffer::from(info, 0, "cudaUpload");
  Napi::TypedArray a = typedArray(info, 1, "cudaUpload");
  need(info, b.bytes(), a.ByteLength(), "cudaUpload");
  guarded(info.Env(), [&] { cuda::Runtime::get().upload(b.ptr(), bytesOf(a), a.ByteLength()); });
  return info.Env().Undefined();
}

/** cudaDownload(buffer, typedArray): waits for queued work, then fills the array from the start of the buffer. */
Napi::Value cudaDownload(const Napi::CallbackInfo& info) {
  CudaBuffer& b = CudaBuffer::from(info, 0, "cudaDownload");
  Napi::TypedArray a = typedArray(info, 1, "cudaDownload");
  need(info, b.bytes(), a.ByteLength(), "cudaDownload");
  guarded(info.Env(), [&] {
    cuda::Runtime& rt = cuda::Runtime::get();
    rt.synchronize();  // a failed kernel surfaces here with its CUDA error name, not as garbage data
    rt.download(bytesOf(a), b.ptr(), a.ByteLength());
  });
  return info.Env().Undefined();
}

/** cudaUnary(op, in, out, n, alpha = 0): float32 in; bool bytes out for LogicalNot/IsNan/IsInf/IsFinite. */
Napi::Value cudaUnary(const Napi::CallbackInfo& info) {
  auto op = static_cast<cpu::UnaryOp>(integer(info, 0, "cudaUnary op"));
  CudaBuffer& in = CudaBuffer::from(info, 1, "cudaUnary input");
  CudaBuffer& out = CudaBuffer::from(info, 2, "cudaUnary output");
  int64_t n = integer(info, 3, "cudaUnary size");
  float alpha = static_cast<float>(info.Length() > 4 ? number(info, 4, "cudaUnary alpha") : 0.0);
  const bool toBool = op == cpu::UnaryOp::LogicalNot || op == cpu::UnaryOp::IsNan || op == cpu::UnaryOp::IsInf ||
                      op == cpu::UnaryOp::IsFinite;
  need(info, in.bytes(), n * 4, "cudaUnary input");
  need(info, out.bytes(), n * (toBool ? 1 : 4), "cudaUnary output");
  guarded(info.Env(), [&] { cuda::unary(op, in.ptr(), out.ptr(), n, alpha); });
  return info.Env().Undefined();
}

/** cudaBinary(op, a, aShape, b, bShape, out, outShape): float32 inputs with broadcasting. */
Napi::Value cudaBinary(const Napi::CallbackInfo& info) {
  auto op = static_cast<cpu::BinaryOp>(integer(info, 0, "cudaBinary op"));
  CudaBuffer& a = CudaBuffer::from(info, 1, "cudaBinary a");
  Shape as = shape(info, 2, "cudaBinary a shape");
  CudaBuffer& b = CudaBuffer::from(info, 3, "cudaBinary b");
  Shape bs = shape(info, 4, "cudaBinary b shape");
  CudaBuffer& out = CudaBuffer::from(info, 5, "cudaBinary out");
  Shape os = shape(info, 6, "cudaBinary out shape");
  need(info, a.bytes(), numel(as) * 4, "cudaBinary a");
  need(info, b.bytes(), numel(bs) * 4, "cudaBinary b");
  need(info, out.bytes(), numel(os) * (cpu::binaryOutputsBool(op) ? 1 : 4), "cudaBinary out");
  guarded(info.Env(), [&] { cuda::binary(op, a.ptr(), as, b.ptr(), bs, out.ptr(), os); });
  return info.Env().Undefined();
}

/** cudaSoftmaxRows(x, y, rows, cols) / cudaSumRows(x, y, rows, cols) */
template <bool Softmax>
Napi::Value cudaRows(const Napi::CallbackInfo& info) {
  const char* name = Softmax ? "cudaSoftmaxRows" : "cudaSumRows";
  CudaBuffer& x = CudaBuffer::from(info, 0, name);
  CudaBuffer& y = CudaBuffer::from(info, 1, name);
  int64_t rows = integer(info, 2, "rows"), cols = integer(info, 3, "cols");
  need(info, x.bytes(), rows * cols * 4, name);
  need(info, y.bytes(), (Softmax ? rows * cols : rows) * 4, name);
  guarded(info.Env(), [&] {
    if (Softmax) cuda::softmaxRows(x.ptr(), y.ptr(), rows, cols);
    else cuda::sumRows(x.ptr(), y.ptr(), rows, cols);
  });
  return info.Env().Undefined();
}

/** cudaCastF32ToBf16(in, out, n) */
Napi::Value cudaCastF32ToBf16(const Napi::CallbackInfo& info) {
  CudaBuffer& in = CudaBuffer::from(info, 0, "cudaCastF32ToBf16 input");
  CudaBuffer& out = CudaBuffer::from(info, 1, "cudaCastF32ToBf16 output");
  int64_t n = integer(info, 2, "cudaCastF32ToBf16 size");
  need(info, in.bytes(), n * 4, "cudaCastF32ToBf16 input");
  need(info, out.bytes(), n * 2, "cudaCastF32ToBf16 output");
  guarded(info.Env(), [&] { cuda::castF32ToBf16(in.ptr(), out.ptr(), n); });
  return info.Env().Undefined();
}

/** cudaGemm(precision, a, b, c, m, n, k, transA, transB, alpha = 1, beta = 0): row-major C = alpha op(A) op(B) + beta C */
Napi::Value cudaGemm(const Napi::CallbackInfo& info) {
  int64_t p = integer(info, 0, "cudaGemm precision");
  if (p < 0 || p > 2) throw Napi::RangeError::New(info.Env(), "cudaGemm: precision must be 0 (fp32), 1 (tf32) or 2 (bf16)");
  auto precision = static_cast<cuda::GemmPrecision>(p);
  CudaBuffer& a = CudaBuffer::from(info, 1, "cudaGemm a");
  CudaBuffer& b = CudaBuffer::from(info, 2, "cudaGemm b");
  CudaBuffer& c = CudaBuffer::from(info, 3, "cudaGemm c");
  cuda::GemmShape g;
  g.m = integer(info, 4, "cudaGemm m");
  g.n = integer(info, 5, "cudaGemm n");
  g.k = integer(info, 6, "cudaGemm k");
  g.transA = info.Length() > 7 && info[7].ToBoolean();
  g.transB = info.Length() > 8 && info[8].ToBoolean();
  float alpha = static_cast<float>(info.Length() > 9 ? number(info, 9, "cudaGemm alpha") : 1.0);
  float beta = static_cast<float>(info.Length() > 10 ? number(info, 10, "cudaGemm beta") : 0.0);
  const int64_t es = precision == cuda::GemmPrecision::BF16 ? 2 : 4;
  need(info, a.bytes(), g.m * g.k * es, "cudaGemm a");
  need(info, b.bytes(), g.k * g.n * es, "cudaGemm b");
  need(info, c.bytes(), g.m * g.n * 4, "cudaGemm c");
  guarded(info.Env(), [&] { cuda::gemm(precision, g, a.ptr(), b.ptr(), c.ptr(), alpha, beta); });
  return info.Env().Undefined();
}

Napi::Value cudaSynchronize(const Napi::CallbackInfo& info) {
  guarded(info.Env(), [] { cuda::Runtime::get().synchronize(); });
  return info.Env().Undefined();
}

Napi::Value cudaPoolStats(const Napi::CallbackInfo& info) {
  PoolStats s = cuda::DevicePool::instance().stats();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("freshBytes", double(s.freshBytes));
  o.Set("freshBlocks", double(s.freshBlocks));
  o.Set("reusedBlocks", double(s.reusedBlocks));
  o.Set("liveBytes", double(s.liveBytes));
  o.Set("pooledBytes", double(s.pooledBytes));
  return o;
}

Napi::Value cudaTrim(const Napi::CallbackInfo& info) {
  guarded(info.Env(), [] { cuda::DevicePool::instance().trim(); });
  return info.Env().Undefined();
}

void registerCuda(Napi::Env env, Napi::Object exports) {
  exports.Set("CudaBuffer", CudaBuffer::define(env));
  exports.Set("cudaStatus", Napi::Function::New(env, cudaStatus, "cudaStatus"));
  exports.Set("cudaAlloc", Napi::Function::New(env, cudaAlloc, "cudaAlloc"));
  exports.Set("cudaUpload", Napi::Function::New(env, cudaUpload, "cudaUpload"));
  exports.Set("cudaDownload", Napi::Function::New(env, cudaDownload, "cudaDownload"));
  exports.Set("cudaUnary", Napi::Function::New(env, cudaUnary, "cudaUnary"));
  exports.Set("cudaBinary", Napi::Function::New(env, cudaBinary, "cudaBinary"));
  exports.Set("cudaSoftmaxRows", Napi::Function::New(env, cudaRows<true>, "cudaSoftmaxRows"));
  exports.Set("cudaSumRows", Napi::Function::New(env, cudaRows<false>, "cudaSumRows"));
  exports.Set("cudaCastF32ToBf16", Napi::Function::New(env, cudaCastF32ToBf16, "cudaCastF32ToBf16"));
  exports.Set("cudaGemm", Napi::Function::New(env, cudaGemm, "cudaGemm"));
  exports.Set("cudaSynchronize", Napi::Function::New(env, cudaSynchronize, "cudaSynchronize"));
  exports.Set("cudaPoolStats", Napi::Function::New(env, cudaPoolStats, "cudaPoolStats"));
  exports.Set("cudaTrim", Napi::Function::New(env, cudaTrim, "cudaTrim"));
}

}  // namespace

ROBUSTA_BINDING(registerCuda);

}  // namespace robusta::binding
