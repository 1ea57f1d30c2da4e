// CPU feature detection (see isa.h): __builtin_cpu_supports on x86-64; elsewhere the build's own baseline.
#include "core/cpu/isa.h"

namespace robusta::cpu {

#if ROBUSTA_X86_64

bool cpuAvx2Fma() {
  static const bool v = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return v;
}

bool cpuAvx512() {
  static const bool v = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  }();
  return v;
}

bool cpuAvx512Bf16() {
  static const bool v = [] {
    __builtin_cpu_init();
    return cpuAvx512() && __builtin_cpu_supports("avx512bf16");
  }();
  return v;
}

bool cpuIsAmd() {
  static const bool v = [] {
    __builtin_cpu_init();
    return __builtin_cpu_is("amd") != 0;
  }();
  return v;
}

const char* isaLevel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
    return "x86-64-v4 (AVX-512)";
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "x86-64-v3 (AVX2, FMA)";
  return "x86-64-v2";
}

#else

bool cpuAvx2Fma() { return false; }
bool cpuAvx512() { return false; }
bool cpuAvx512Bf16() { return false; }
bool cpuIsAmd() { return false; }

#if defined(__aarch64__)
const char* isaLevel() { return "aarch64 (NEON)"; }
#else
const char* isaLevel() { return "generic"; }
#endif

#endif

}  // namespace robusta::cpu
