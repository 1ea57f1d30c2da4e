// Opening an optional shared library at run time: the environment's setting, else the usual names.
#include "core/dynamic_library.h"

#include <dlfcn.h>

#include <cctype>

namespace robusta {

namespace {

bool isOff(const std::string& setting) {
  std::string v(setting);
  for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
  return v == "off";
}

}  // namespace

OpenedLibrary openLibrary(const char* variable, const char* setting, std::initializer_list<const char*> names, int flags,
                          const std::string& what, const std::string& missingHint) {
  OpenedLibrary out;
  if (setting != nullptr && *setting) {
    if (isOff(setting)) {
      out.error = "refused by " + std::string(variable) + "=" + setting;
      return out;
    }
    out.name = setting;
    out.handle = dlopen(setting, flags);
    if (out.handle == nullptr) {
      const char* why = dlerror();
      out.error = std::string(variable) + "=" + out.name + " could not be loaded (" + (why ? why : "?") + ")";
    }
    return out;
  }
  std::string errors;
  for (const char* name : names) {
    out.handle = dlopen(name, flags);
    if (out.handle != nullptr) {
      out.name = name;
      return out;
    }
    const char* why = dlerror();
    errors += (errors.empty() ? "" : "; ") + std::string(why ? why : name);
  }
  out.error = what + " not found (" + errors + "); " + missingHint;
  return out;
}

std::string libraryPathOf(const void* symbol, const std::string& fallback) {
  Dl_info info{};
  if (dladdr(symbol, &info) != 0 && info.dli_fname != nullptr && *info.dli_fname) return info.dli_fname;
  return fallback;
}

}  // namespace robusta
