// Select (tf.where): out = condition ? t : e, with NumPy-style broadcasting of all three to the output shape.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/shape.h"

namespace robusta::cpu {

/** t and e hold elements of `elemBytes` bytes (1 or 4); cond is bool (non-zero is true). Shapes must broadcast to os. */
void select(size_t elemBytes, const uint8_t* cond, const Shape& cs, const void* t, const Shape& ts, const void* e,
            const Shape& es, void* out, const Shape& os);

}  // namespace robusta::cpu
