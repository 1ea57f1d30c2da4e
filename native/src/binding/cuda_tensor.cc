// Binding functions for the device-resident tfjs backend ('robusta-cuda'): a device tensor handle plus the calls its
// kernels need that the test-level functions in cuda.cc lack (GEMM at element offsets for batches, numeric casts,
// fills, strided copies, a precise tan). Nothing here runs without a driver; the core's launchers do the work.
#include <napi.h>

#include <string>
#include <vector>

#include "binding/args.h"
#include "binding/cuda_buffer.h"
#include "binding/registry.h"
#include "core/cuda/cublaslt.h"
#include "core/cuda/kernel_params.h"
#include "core/cuda/kernels.h"
#include "core/cuda/memory.h"
#include "core/cuda/runtime.h"

namespace robusta::binding {

namespace {

using Buf = CudaBuffer;

/** cudaTensorFill(buffer, byte, bytes): sets the first `bytes` bytes (queued on the stream). */
Napi::Value cudaTensorFill(const Napi::CallbackInfo& info) {
  Buf& b = Buf::from(info, 0, "cudaTensorFill");
  int64_t byte = integer(info, 1, "cudaTensorFill byte");
  int64_t bytes = integer(info, 2, "cudaTensorFill bytes");
  need(info, b.bytes(), bytes, "cudaTensorFill");
  if (bytes > 0) {
    guarded(info.Env(), [&] { cuda::Runtime::get().fill(b.ptr(), static_cast<unsigned char>(byte), size_t(bytes)); });
  }
  return info.Env().Undefined();
}

using robusta_kernels::kCastInBytes;
using robusta_kernels::kCastModeCount;
using robusta_kernels::kCastOutBytes;

/** cudaTensorCast(mode, in, out, n): f32->i32, i32->f32, f32->bool, i32->bool, bool->f32, bool->i32. */
Napi::Value cudaTensorCast(const Napi::CallbackInfo& info) {
  int64_t m = integer(info, 0, "cudaTensorCast mode");
  if (m < 0 || m >= kCastModeCount) {
    throw Napi::RangeError::New(info.Env(), "cudaTensorCast: mode must be 0..5, got " + std::to_string(m));
  }
  Buf& in = Buf::from(info, 1, "cudaTensorCast input");
  Buf& out = Buf::from(info, 2, "cudaTensorCast output");
  int64_t n = integer(info, 3, "cudaTensorCast size");
  need(info, in.bytes(), n * kCastInBytes[m], "cudaTensorCast input");
  need(info, out.bytes(), n * kCastOutBytes[m], "cudaTensorCast output");
  guarded(info.Env(), [&] {
    cuda::castNumeric(static_cast<robusta_kernels::CastMode>(m), in.ptr(), out.ptr(), n);
  });
  return info.Env().Undefined();
}

/** cudaTensorGemm(precision, a, aOffset, b, bOffset, c, cOffset, m, n, k, transA, transB): one row-major GEMM on
 *  float32 matrices that start `offset` elements into each buffer (one batch entry of a BatchMatMul). */
Napi::Value cudaTensorGemm(const Napi::CallbackInfo& info) {
  int64_t p = integer(info, 0, "cudaTensorGemm precision");
  if (p < 0 || p > 1) {
    throw Napi::RangeError::New(info.Env(), "cudaTensorGemm: precision must be 0 (fp32) or 1 (tf32)");
  }
  Buf& a = Buf::from(info, 1, "cudaTensorGemm a");
  int64_t ao = integer(info, 2, "cudaTensorGemm a offset");
  Buf& b = Buf::from(info, 3, "cudaTensorGemm b");
  int64_t bo = integer(info, 4, "cudaTensorGemm b offset");
  Buf& c = Buf::from(info, 5, "cudaTensorGemm c");
  int64_t co = integer(info, 6, "cudaTensorGemm c offset");
  cuda::GemmShape g;
  g.m = integer(info, 7, "cudaTensorGemm m");
  g.n = integer(info, 8, "cudaTensorGemm n");
  g.k = integer(info, 9, "cudaTensorGemm k");
  g.transA = info.Length() > 10 && info[10].ToBoolean();
  g.transB = info.Length() > 11 && info[11].ToBoolean();
  if (ao < 0 || bo < 0 || co < 0) throw Napi::RangeError::New(info.Env(), "cudaTensorGemm: negative offset");
  need(info, a.bytes(), (ao + g.m * g.k) * 4, "cudaTensorGemm a");
  need(info, b.bytes(), (bo + g.k * g.n) * 4, "cudaTensorGemm b");
  need(info, c.bytes(), (co + g.m * g.n) * 4, "cudaTensorGemm c");
  guarded(info.Env(), [&] {  // the core handles the empty cases (m or n zero; k zero is a zero fill)
    cuda::gemm(static_cast<cuda::GemmPrecision>(p), g, a.ptr() + cuda::CUdeviceptr(ao) * 4,
               b.ptr() + cuda::CUdeviceptr(bo) * 4, c.ptr() + cuda::CUdeviceptr(co) * 4);
  });
  return info.Env().Undefined();
}

/** cudaTensorFill32(buffer, bits, n): n 32-bit elements set to one bit pattern (a float32's or int32's bits). */
Napi::Value cudaTensorFill32(const Napi::CallbackInfo& info) {
  Buf& b = Buf::from(info, 0, "cudaTensorFill32");
  double bitsIn = number(info, 1, "cudaTensorFill32 bits");
  if (!(bitsIn >= 0 && bitsIn <= 4294967295.0)) {
    throw Napi::RangeError::New(info.Env(), "cudaTensorFill32: bits must be a uint32");
  }
  int64_t n = integer(info, 2, "cudaTensorFill32 size");
  need(info, b.bytes(), n * 4, "cudaTensorFill32");
  guarded(info.Env(), [&] { cuda::fill32(b.ptr(), static_cast<uint32_t>(bitsIn), n); });
  return info.Env().Undefined();
}

/** An array of integers that may be negative (strides), with an error naming the argument. */
std::vector<int64_t> signedList(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || !info[i].IsArray()) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an array of integers");
  }
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) {
      throw Napi::TypeError::New(info.Env(), std::string(what) + ": entry " + std::to_string(k) + " is not a number");
    }
    out[k] = static_cast<int64_t>(v.As<Napi::Number>().DoubleValue());
  }
  return out;
}

/** cudaTensorStridedCopy(elementBytes, in, out, outShape, strides, base): out[i] = in[base + sum idx_d * strides_d]
 *  walking out row-major; the core checks that every read falls inside `in` before launching. */
Napi::Value cudaTensorStridedCopy(const Napi::CallbackInfo& info) {
  const int64_t eb = integer(info, 0, "cudaTensorStridedCopy element bytes");
  if (eb != 1 && eb != 4) {
    throw Napi::RangeError::New(info.Env(), "cudaTensorStridedCopy: element bytes must be 1 or 4");
  }
  Buf& in = Buf::from(info, 1, "cudaTensorStridedCopy input");
  Buf& out = Buf::from(info, 2, "cudaTensorStridedCopy output");
  Shape dims = shape(info, 3, "cudaTensorStridedCopy output shape");
  std::vector<int64_t> strides = signedList(info, 4, "cudaTensorStridedCopy strides");
  const int64_t base = integer(info, 5, "cudaTensorStridedCopy base");
  need(info, out.bytes(), numel(dims) * eb, "cudaTensorStridedCopy output");
  guarded(info.Env(), [&] {
    cuda::stridedCopy(int(eb), in.ptr(), int64_t(in.bytes()) / eb, out.ptr(), dims, strides, base);
  });
  return info.Env().Undefined();
}

/** cudaTensorTanPrecise(in, out, n): tan computed in double, rounded once to float32. */
Napi::Value cudaTensorTanPrecise(const Napi::CallbackInfo& info) {
  Buf& in = Buf::from(info, 0, "cudaTensorTanPrecise input");
  Buf& out = Buf::from(info, 1, "cudaTensorTanPrecise output");
  int64_t n = integer(info, 2, "cudaTensorTanPrecise size");
  need(info, in.bytes(), n * 4, "cudaTensorTanPrecise input");
  need(info, out.bytes(), n * 4, "cudaTensorTanPrecise output");
  guarded(info.Env(), [&] { cuda::tanPrecise(in.ptr(), out.ptr(), n); });
  return info.Env().Undefined();
}

void registerCudaTensor(Napi::Env env, Napi::Object exports) {
  exports.Set("cudaTensorFill", Napi::Function::New(env, cudaTensorFill, "cudaTensorFill"));
  exports.Set("cudaTensorCast", Napi::Function::New(env, cudaTensorCast, "cudaTensorCast"));
  exports.Set("cudaTensorGemm", Napi::Function::New(env, cudaTensorGemm, "cudaTensorGemm"));
  exports.Set("cudaTensorFill32", Napi::Function::New(env, cudaTensorFill32, "cudaTensorFill32"));
  exports.Set("cudaTensorStridedCopy", Napi::Function::New(env, cudaTensorStridedCopy, "cudaTensorStridedCopy"));
  exports.Set("cudaTensorTanPrecise", Napi::Function::New(env, cudaTensorTanPrecise, "cudaTensorTanPrecise"));
}

}  // namespace

ROBUSTA_BINDING(registerCudaTensor);

}  // namespace robusta::binding
