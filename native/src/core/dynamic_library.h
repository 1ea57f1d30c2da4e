// Opening an optional shared library at run time (OpenBLAS, OpenMPI): a setting from the environment (a path, or
// `off`), else a list of names; every failure a reason to report, never an abort.
#pragma once
#include <initializer_list>
#include <string>

namespace robusta {

struct OpenedLibrary {
  /** dlopen's handle, or nullptr when `error` says why not. */
  void* handle = nullptr;
  /** The setting's path or the name that opened. */
  std::string name;
  std::string error;
};

/**
 * Opens `setting` when it is set (the value of the environment variable `variable`; `off` refuses), else the first
 * of `names` that opens. `flags` are dlopen's; `missingHint` ends the message when none of `names` opens
 * (e.g. "apt-get install libopenblas0, or set ROBUSTA_OPENBLAS to the library's path"), after `what` (e.g.
 * "OpenBLAS").
 */
OpenedLibrary openLibrary(const char* variable, const char* setting, std::initializer_list<const char*> names, int flags,
                          const std::string& what, const std::string& missingHint);

/** The file the dynamic loader opened for `symbol` (a name like libmpi.so.40 becomes its path), else `fallback`. */
std::string libraryPathOf(const void* symbol, const std::string& fallback);

}  // namespace robusta
