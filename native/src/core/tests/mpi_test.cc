// The MPI loader: ROBUSTA_MPI=off, a path that does not load and a library that is not MPI are reasons, never aborts;
// when libmpi.so.40 loads, it is OpenMPI with every entry point and handle resolved.
#include <string>

#include "core/mpi/library.h"
#include "core/tests/harness.h"

namespace {

using namespace robusta;
using robusta::test::Skip;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

ROBUSTA_TEST(mpi, off_refuses_it) {
  for (const char* setting : {"off", "Off"}) {
    mpi::Api api{};
    const mpi::Status st = mpi::load(setting, &api);
    EXPECT(!st.available, setting);
    EXPECT(contains(st.detail, std::string("ROBUSTA_MPI=") + setting), st.detail);
    EXPECT(api.initThread == nullptr);
  }
}

ROBUSTA_TEST(mpi, a_missing_path_is_a_reason_naming_it) {
  mpi::Api api{};
  const mpi::Status st = mpi::load("/nonexistent/libmpi.so.40", &api);
  EXPECT(!st.available);
  EXPECT(contains(st.detail, "ROBUSTA_MPI=/nonexistent/libmpi.so.40 could not be loaded"), st.detail);
}

ROBUSTA_TEST(mpi, a_library_that_is_not_mpi_is_refused) {
  mpi::Api api{};
  const mpi::Status st = mpi::load("libm.so.6", &api);
  EXPECT(!st.available);
  EXPECT(contains(st.detail, "libm.so.6 lacks the MPI function(s) MPI_Initialized"), st.detail);
  EXPECT(api.allreduce == nullptr);
}

ROBUSTA_TEST(mpi, openmpi_resolves_every_entry_point_and_handle) {
  mpi::Api api{};
  const mpi::Status st = mpi::load(nullptr, &api);
  if (!st.available) throw Skip{st.detail};
  EXPECT(contains(st.version, "Open MPI"), st.version);
  EXPECT(contains(st.library, "libmpi"), st.library);
  for (const void* p : {api.commWorld, api.infoNull, api.errorsReturn, api.typeFloat, api.typeDouble, api.typeInt,
                        api.typeByte, api.opSum, api.opMax}) {
    EXPECT(p != nullptr);
  }
  EXPECT(api.allreduce != nullptr && api.bcast != nullptr && api.barrier != nullptr && api.abort != nullptr);
  // before MPI_Init (OpenMPI aborts on MPI_Error_string there): the code alone, and no abort
  EXPECT(mpi::errorText(api, 1) == "MPI error 1", mpi::errorText(api, 1));
}
