// Loads OpenBLAS with dlopen and resolves the entry points of openblas.h; every failure is a reason, never an abort.
#include "core/cpu/openblas.h"

#include <dlfcn.h>

#include <cstdlib>

#include "core/dynamic_library.h"
#include "core/error.h"

namespace robusta::cpu::openblas {

namespace {

struct Loaded {
  Status status;
  Api api{};
};

const Loaded& loaded() {
  static const Loaded* l = [] {
    auto* out = new Loaded();  // never destroyed: GEMM may run from threads still alive during exit
    out->status = load(std::getenv("ROBUSTA_OPENBLAS"), &out->api);
    return out;
  }();
  return *l;
}

}  // namespace

Status load(const char* setting, Api* out) {
  Status st;
  *out = Api{};
  // RTLD_LOCAL: another copy of OpenBLAS in the process (numpy's, say) keeps its own symbols
  OpenedLibrary opened = openLibrary("ROBUSTA_OPENBLAS", setting, {"libopenblas.so.0", "libopenblas.so"},
                                     RTLD_NOW | RTLD_LOCAL, "OpenBLAS",
                                     "apt-get install libopenblas0, or set ROBUSTA_OPENBLAS to the library's path");
  if (opened.handle == nullptr) {
    st.detail = opened.error;
    return st;
  }
  void* lib = opened.handle;
  const std::string& library = opened.name;
  out->sgemm = reinterpret_cast<decltype(Api::sgemm)>(dlsym(lib, "cblas_sgemm"));
  if (out->sgemm == nullptr) {
    st.detail = library + " lacks the symbol cblas_sgemm (not an OpenBLAS with CBLAS?)";
    dlclose(lib);
    *out = Api{};
    return st;
  }
  out->getNumThreads = reinterpret_cast<decltype(Api::getNumThreads)>(dlsym(lib, "openblas_get_num_threads"));
  out->getConfig = reinterpret_cast<decltype(Api::getConfig)>(dlsym(lib, "openblas_get_config"));
  st.available = true;
  st.detail = libraryPathOf(reinterpret_cast<const void*>(out->sgemm), library);
  std::string about;
  if (out->getConfig != nullptr) {
    const char* config = out->getConfig();
    if (config != nullptr) about = config;
  }
  if (out->getNumThreads != nullptr) {
    about += (about.empty() ? "" : ", ") + std::to_string(out->getNumThreads()) + " threads";
  }
  if (!about.empty()) st.detail += " (" + about + ")";
  return st;  // the library stays open for the life of the process
}

const Status& status() { return loaded().status; }

const Api& api() {
  const Loaded& l = loaded();
  if (!l.status.available) throw Error("OpenBLAS is not loaded: " + l.status.detail);
  return l.api;
}

}  // namespace robusta::cpu::openblas
