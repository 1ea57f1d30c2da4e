// Loads OpenBLAS with dlopen and resolves the entry points of openblas.h; every failure is a reason, never an abort.
#include "core/cpu/openblas.h"

#include <dlfcn.h>

#include <cctype>
#include <cstdlib>

#include "core/error.h"

namespace robusta::cpu::openblas {

namespace {

bool isOff(const char* setting) {
  std::string v(setting);
  for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
  return v == "off";
}

/** The file the dynamic loader opened for `symbol` (a name like libopenblas.so.0 becomes its path). */
std::string pathOf(const void* symbol, const std::string& fallback) {
  Dl_info info{};
  if (dladdr(symbol, &info) != 0 && info.dli_fname != nullptr && *info.dli_fname) return info.dli_fname;
  return fallback;
}

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
  if (setting != nullptr && *setting && isOff(setting)) {
    st.detail = "refused by ROBUSTA_OPENBLAS=" + std::string(setting);
    return st;
  }
  void* lib = nullptr;
  std::string library;
  if (setting != nullptr && *setting) {
    library = setting;
    // RTLD_LOCAL: another copy of OpenBLAS in the process (numpy's, say) keeps its own symbols
    lib = dlopen(setting, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* why = dlerror();
      st.detail = "ROBUSTA_OPENBLAS=" + library + " could not be loaded (" + (why ? why : "?") + ")";
      return st;
    }
  } else {
    std::string errors;
    for (const char* name : {"libopenblas.so.0", "libopenblas.so"}) {
      lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (lib != nullptr) {
        library = name;
        break;
      }
      const char* why = dlerror();
      errors += (errors.empty() ? "" : "; ") + std::string(why ? why : name);
    }
    if (lib == nullptr) {
      st.detail = "OpenBLAS not found (" + errors +
                  "); apt-get install libopenblas0, or set ROBUSTA_OPENBLAS to the library's path";
      return st;
    }
  }
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
  st.detail = pathOf(reinterpret_cast<const void*>(out->sgemm), library);
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
