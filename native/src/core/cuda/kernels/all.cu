// The single translation unit nvcc compiles into the embedded fatbin (the build's `nvcc --fatbin` takes one input
// without -rdc); each kernel concept lives in its own .cuh file beside this one.
#include "common.cuh"

#include "binary.cuh"
#include "cast.cuh"
#include "cast_numeric.cuh"
#include "fill.cuh"
#include "softmax.cuh"
#include "strided_copy.cuh"
#include "sum_rows.cuh"
#include "tan_precise.cuh"
#include "unary.cuh"
