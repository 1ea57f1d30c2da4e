// Collectives between processes over MPI_COMM_WORLD: every MPI call runs on one thread of ours, in submission order.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace robusta::mpi {

/** This process's place in the job, and the thread support MPI_Init_thread granted. */
struct World {
  int rank = 0;
  int size = 1;
  int localRank = 0;     // rank among the processes on this node (MPI_Comm_split_type SHARED)
  int threadLevel = -1;  // MPI_THREAD_* that MPI granted; -1 when someone else initialized MPI
  bool initializedByUs = true;
};

enum class DataType { Float32, Float64, Int32 };
enum class ReduceOp { Sum, Max };

/** "single", "funneled", "serialized", "multiple", or "unknown". */
const char* threadLevelName(int level);

/**
 * Runs `job` on the MPI thread after every job submitted before it, then `done` there with "" or the error message.
 *
 * Why one thread: collectives must be issued in the same order on every rank. The caller submits from the JS thread,
 * so the queue's order is the program's order; a pool (libuv's) could start two queued collectives in either order,
 * and ranks that disagree deadlock. It also means MPI needs only MPI_THREAD_FUNNELED (Init and every call on one
 * thread), and a collective that never completes blocks this thread alone, not the JS thread nor libuv's pool.
 */
void submit(std::function<void()> job, std::function<void(const std::string& error)> done);

// The operations below run on the MPI thread (through submit); each throws Error with MPI's message on failure.

/** MPI_Init_thread (asking for MPI_THREAD_MULTIPLE) unless MPI is up already; errors return instead of aborting. */
World initialize();
/** In place over `count` elements; counts past INT_MAX go in pieces. */
void allReduce(void* data, size_t count, DataType type, ReduceOp op);
/** `bytes` from `root` into every rank's `data`. */
void broadcast(void* data, size_t bytes, int root);
void barrier();
/** MPI_Finalize once; MPI cannot start again in this process afterwards. No-op when MPI never started. */
void finalize();

/** The world after initialize(); throws Error when MPI is not initialized or already finalized. */
World world();

/**
 * MPI_Abort on MPI_COMM_WORLD, from the calling thread (not the queue: it is the way out when a collective is stuck,
 * which OpenMPI allows from any thread). Returns only by throwing, when MPI is not running.
 */
void abort(int code);

}  // namespace robusta::mpi
