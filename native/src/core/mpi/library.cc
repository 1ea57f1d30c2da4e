// Loads OpenMPI's libmpi with dlopen and resolves the entry points and handles of library.h; every failure is a
// reason, never an abort.
#include "core/mpi/library.h"

#include <dlfcn.h>

#include <cstdlib>

#include "core/dynamic_library.h"
#include "core/error.h"

namespace robusta::mpi {

namespace {

template <typename Fn>
void bind(void* lib, const char* symbol, Fn& slot, std::string& missing) {
  slot = reinterpret_cast<Fn>(dlsym(lib, symbol));
  if (slot == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(symbol);
}

void handle(void* lib, const char* symbol, Handle& slot, std::string& missing) {
  slot = dlsym(lib, symbol);  // the address of the predefined object is the handle
  if (slot == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(symbol);
}

struct Loaded {
  Status status;
  Api api{};
};

const Loaded& loaded() {
  static const Loaded* l = [] {
    auto* out = new Loaded();  // never destroyed: the MPI thread may still run during exit
    out->status = load(std::getenv("ROBUSTA_MPI"), &out->api);
    return out;
  }();
  return *l;
}

}  // namespace

Status load(const char* setting, Api* out) {
  Status st;
  *out = Api{};
  // RTLD_GLOBAL: OpenMPI opens its own plugins (mca_*.so) later, and they resolve libmpi's and libopen-pal's symbols
  // from the global scope; with RTLD_LOCAL, MPI_Init fails on an undefined symbol in the first plugin.
  OpenedLibrary opened =
      openLibrary("ROBUSTA_MPI", setting, {"libmpi.so.40", "libmpi.so"}, RTLD_NOW | RTLD_GLOBAL, "OpenMPI",
                  "apt-get install openmpi-bin (with libopenmpi3), or set ROBUSTA_MPI to libmpi's path");
  if (opened.handle == nullptr) {
    st.detail = opened.error;
    return st;
  }
  void* lib = opened.handle;
  const std::string& library = opened.name;

  Api a{};
  std::string missing;
  bind(lib, "MPI_Initialized", a.initialized, missing);
  bind(lib, "MPI_Init_thread", a.initThread, missing);
  bind(lib, "MPI_Finalized", a.finalized, missing);
  bind(lib, "MPI_Finalize", a.finalize, missing);
  bind(lib, "MPI_Comm_rank", a.commRank, missing);
  bind(lib, "MPI_Comm_size", a.commSize, missing);
  bind(lib, "MPI_Comm_split_type", a.commSplitType, missing);
  bind(lib, "MPI_Comm_free", a.commFree, missing);
  bind(lib, "MPI_Comm_set_errhandler", a.commSetErrhandler, missing);
  bind(lib, "MPI_Allreduce", a.allreduce, missing);
  bind(lib, "MPI_Bcast", a.bcast, missing);
  bind(lib, "MPI_Barrier", a.barrier, missing);
  bind(lib, "MPI_Abort", a.abort, missing);
  bind(lib, "MPI_Error_string", a.errorString, missing);
  if (!missing.empty()) {
    st.detail = library + " lacks the MPI function(s) " + missing + " (not an MPI-3 library?)";
    dlclose(lib);
    return st;
  }
  handle(lib, "ompi_mpi_comm_world", a.commWorld, missing);
  handle(lib, "ompi_mpi_info_null", a.infoNull, missing);
  handle(lib, "ompi_mpi_errors_return", a.errorsReturn, missing);
  handle(lib, "ompi_mpi_float", a.typeFloat, missing);
  handle(lib, "ompi_mpi_double", a.typeDouble, missing);
  handle(lib, "ompi_mpi_int", a.typeInt, missing);
  handle(lib, "ompi_mpi_byte", a.typeByte, missing);
  handle(lib, "ompi_mpi_op_sum", a.opSum, missing);
  handle(lib, "ompi_mpi_op_max", a.opMax, missing);
  if (!missing.empty()) {
    st.detail = library + " is an MPI library but not OpenMPI (it lacks " + missing +
                "): MPICH and its derivatives define MPI's handles as integer constants, which this binding does not "
                "declare; only OpenMPI is supported";
    dlclose(lib);
    return st;
  }
  a.inPlace = reinterpret_cast<Handle>(1);  // OpenMPI's mpi.h: #define MPI_IN_PLACE ((void *) 1)
  a.getLibraryVersion = reinterpret_cast<decltype(Api::getLibraryVersion)>(dlsym(lib, "MPI_Get_library_version"));

  *out = a;
  st.available = true;
  st.library = libraryPathOf(reinterpret_cast<const void*>(a.initThread), library);
  if (a.getLibraryVersion != nullptr) {
    char text[kMaxLibraryVersionString + 1] = {};
    int length = 0;
    if (a.getLibraryVersion(text, &length) == kSuccess) {
      std::string v(text, length > 0 && length <= kMaxLibraryVersionString ? size_t(length) : 0);
      st.version = v.substr(0, v.find_first_of("\r\n,"));  // "Open MPI v4.1.4, package: ..." -> "Open MPI v4.1.4"
    }
  }
  return st;  // the library stays open for the life of the process
}

const Status& status() { return loaded().status; }

const Api& api() {
  const Loaded& l = loaded();
  if (!l.status.available) throw Error("MPI is not loaded: " + l.status.detail);
  return l.api;
}

std::string errorText(const Api& api, int code) {
  char text[kMaxErrorString + 1] = {};
  int length = 0;
  std::string out = "MPI error " + std::to_string(code);
  // OpenMPI aborts the process when MPI_Error_string is called outside MPI_Init .. MPI_Finalize: the code alone then
  int up = 0;
  int down = 0;
  bool running = api.initialized != nullptr && api.initialized(&up) == kSuccess && up && api.finalized(&down) == kSuccess &&
                 !down;
  if (running && api.errorString(code, text, &length) == kSuccess && length > 0) {
    out += " (" + std::string(text, size_t(length) <= kMaxErrorString ? size_t(length) : 0) + ")";
  }
  return out;
}

void check(const Api& api, int code, const char* call) {
  if (code != kSuccess) throw Error(std::string(call) + " failed: " + errorText(api, code));
}

}  // namespace robusta::mpi
