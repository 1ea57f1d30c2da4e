// The one exception type the core throws; the binding turns it into a JavaScript Error with the same message.
#pragma once
#include <stdexcept>
#include <string>

namespace robusta {

struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace robusta
