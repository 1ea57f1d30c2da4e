// OpenMPI, bound at run time: libmpi is dlopen'ed on first use ($ROBUSTA_MPI, then libmpi.so.40, then libmpi.so), so
// the addon loads and runs single-process on a machine without MPI.
#pragma once
#include <string>

namespace robusta::mpi {

// Our own declarations of the MPI C ABI we call. The handles are OpenMPI's: pointers to predefined objects that the
// library exports as data symbols (MPI_COMM_WORLD is &ompi_mpi_comm_world); MPICH's handles are integer constants,
// so only OpenMPI is supported.
using Handle = void*;
constexpr int kSuccess = 0;                 // MPI_SUCCESS
constexpr int kThreadSingle = 0;            // MPI_THREAD_SINGLE .. MPI_THREAD_MULTIPLE
constexpr int kThreadFunneled = 1;
constexpr int kThreadSerialized = 2;
constexpr int kThreadMultiple = 3;
constexpr int kCommTypeShared = 0;          // MPI_COMM_TYPE_SHARED (OpenMPI's enum starts with it)
constexpr int kMaxErrorString = 256;        // MPI_MAX_ERROR_STRING
constexpr int kMaxLibraryVersionString = 256;  // MPI_MAX_LIBRARY_VERSION_STRING

/** The entry points and predefined handles we use. */
struct Api {
  int (*initialized)(int* flag);
  int (*initThread)(int* argc, char*** argv, int required, int* provided);
  int (*finalized)(int* flag);
  int (*finalize)();
  int (*commRank)(Handle comm, int* rank);
  int (*commSize)(Handle comm, int* size);
  int (*commSplitType)(Handle comm, int splitType, int key, Handle info, Handle* newcomm);
  int (*commFree)(Handle* comm);
  int (*commSetErrhandler)(Handle comm, Handle errhandler);
  int (*allreduce)(const void* send, void* recv, int count, Handle datatype, Handle op, Handle comm);
  int (*bcast)(void* buffer, int count, Handle datatype, int root, Handle comm);
  int (*barrier)(Handle comm);
  int (*abort)(Handle comm, int code);
  int (*errorString)(int code, char* text, int* length);
  int (*getLibraryVersion)(char* version, int* length);  // optional (MPI 3.0)

  Handle commWorld;      // MPI_COMM_WORLD
  Handle inPlace;        // MPI_IN_PLACE is ((void*) 1) in OpenMPI's mpi.h: a constant, not a symbol
  Handle infoNull;       // MPI_INFO_NULL
  Handle errorsReturn;   // MPI_ERRORS_RETURN
  Handle typeFloat;      // MPI_FLOAT
  Handle typeDouble;     // MPI_DOUBLE
  Handle typeInt;        // MPI_INT
  Handle typeByte;       // MPI_BYTE
  Handle opSum;          // MPI_SUM
  Handle opMax;          // MPI_MAX
};

/**
 * What loading found: available with the library's path and version, or not available with `detail` = why
 * (ROBUSTA_MPI=off, the library not found with the loader's message, a missing symbol, not OpenMPI).
 */
struct Status {
  bool available = false;
  std::string library;  // the path the loader opened (empty when none)
  std::string version;  // MPI_Get_library_version's first line, when the library has it
  std::string detail;   // why not, when not available
};

/** Loads once per process (the first call), never throws. */
const Status& status();

/** The loaded entry points; throws Error with status().detail when MPI is not available. */
const Api& api();

/**
 * One load attempt as status() makes it, for tests: `setting` is $ROBUSTA_MPI (null or empty: the default names;
 * "off" in any case: refused; else a path or a name for dlopen). The library stays open when it loads.
 */
Status load(const char* setting, Api* out);

/** "MPI_Allreduce failed: <MPI_Error_string>" for a return code other than MPI_SUCCESS. */
std::string errorText(const Api& api, int code);

/** Throws Error naming `call` and the library's text for `code` unless it is MPI_SUCCESS. */
void check(const Api& api, int code, const char* call);

}  // namespace robusta::mpi
