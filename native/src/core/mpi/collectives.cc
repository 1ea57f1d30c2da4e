// The MPI thread (a FIFO of jobs) and the collectives of collectives.h, over the entry points library.cc resolved.
#include "core/mpi/collectives.h"

#include <climits>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/mpi/library.h"

namespace robusta::mpi {

namespace {

struct Job {
  std::function<void()> run;
  std::function<void(const std::string&)> done;
};

class Queue {
 public:
  void push(Job job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
      if (!started_) {
        started_ = true;
        // detached and never joined: at exit it is either idle or stuck in a collective that cannot be cancelled
        std::thread([this] { loop(); }).detach();
      }
    }
    ready_.notify_one();
  }

 private:
  void loop() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      std::string error;
      try {
        job.run();
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "MPI operation failed";
      }
      job.done(error);
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  bool started_ = false;
};

Queue& queue() {
  static Queue* q = new Queue();  // never destroyed: its detached thread outlives static destruction
  return *q;
}

// The world as initialize() found it; written on the MPI thread, read by world() and abort() from the JS thread.
std::mutex stateMu;
World state;
bool up = false;    // MPI initialized (by us or before us) and not finalized
bool down = false;  // MPI_Finalize ran

Handle typeOf(const Api& a, DataType t) {
  switch (t) {
    case DataType::Float32: return a.typeFloat;
    case DataType::Float64: return a.typeDouble;
    case DataType::Int32: return a.typeInt;
  }
  return a.typeFloat;
}

size_t sizeOf(DataType t) { return t == DataType::Float64 ? 8 : 4; }

/** MPI counts are ints: larger buffers go in pieces of at most 2^30 elements. */
constexpr size_t kPiece = size_t(1) << 30;

}  // namespace

const char* threadLevelName(int level) {
  switch (level) {
    case kThreadSingle: return "single";
    case kThreadFunneled: return "funneled";
    case kThreadSerialized: return "serialized";
    case kThreadMultiple: return "multiple";
    default: return "unknown";
  }
}

void submit(std::function<void()> job, std::function<void(const std::string& error)> done) {
  queue().push(Job{std::move(job), std::move(done)});
}

World initialize() {
  const Api& a = api();
  {
    std::lock_guard<std::mutex> lock(stateMu);
    if (up) return state;
    if (down) throw Error("MPI was finalized in this process; it cannot be initialized again");
  }
  World w;
  int already = 0;
  check(a, a.initialized(&already), "MPI_Initialized");
  if (already) {
    w.initializedByUs = false;  // another library in the process started MPI; the level it asked for is unknown
  } else {
    // MULTIPLE is asked for although this thread makes every call but MPI_Abort: abort() may run from the JS thread
    // while this one is inside a collective. What was granted is reported, and FUNNELED is enough for the rest.
    int provided = -1;
    check(a, a.initThread(nullptr, nullptr, kThreadMultiple, &provided), "MPI_Init_thread");
    w.threadLevel = provided;
  }
  // errors come back as return codes (turned into Errors) instead of MPI_ERRORS_ARE_FATAL's abort of the job
  check(a, a.commSetErrhandler(a.commWorld, a.errorsReturn), "MPI_Comm_set_errhandler");
  check(a, a.commRank(a.commWorld, &w.rank), "MPI_Comm_rank");
  check(a, a.commSize(a.commWorld, &w.size), "MPI_Comm_size");
  Handle node = nullptr;
  check(a, a.commSplitType(a.commWorld, kCommTypeShared, w.rank, a.infoNull, &node), "MPI_Comm_split_type");
  int localRank = 0;
  int code = a.commRank(node, &localRank);
  a.commFree(&node);
  check(a, code, "MPI_Comm_rank (node communicator)");
  w.localRank = localRank;
  std::lock_guard<std::mutex> lock(stateMu);
  state = w;
  up = true;
  return w;
}

World world() {
  std::lock_guard<std::mutex> lock(stateMu);
  if (down) throw Error("MPI was finalized in this process");
  if (!up) throw Error("MPI is not initialized: call mpiInit() first");
  return state;
}

void allReduce(void* data, size_t count, DataType type, ReduceOp op) {
  world();
  const Api& a = api();
  Handle mpiOp = op == ReduceOp::Sum ? a.opSum : a.opMax;
  auto* bytes = static_cast<uint8_t*>(data);
  for (size_t done = 0; done < count; done += kPiece) {
    int n = static_cast<int>(count - done < kPiece ? count - done : kPiece);
    check(a, a.allreduce(a.inPlace, bytes + done * sizeOf(type), n, typeOf(a, type), mpiOp, a.commWorld),
          "MPI_Allreduce");
  }
}

void broadcast(void* data, size_t bytes, int root) {
  World w = world();
  if (root < 0 || root >= w.size) {
    throw Error("broadcast: root " + std::to_string(root) + " is not a rank of this world of " +
                std::to_string(w.size));
  }
  const Api& a = api();
  auto* p = static_cast<uint8_t*>(data);
  for (size_t done = 0; done < bytes; done += kPiece) {
    int n = static_cast<int>(bytes - done < kPiece ? bytes - done : kPiece);
    check(a, a.bcast(p + done, n, a.typeByte, root, a.commWorld), "MPI_Bcast");
  }
}

void barrier() {
  world();
  const Api& a = api();
  check(a, a.barrier(a.commWorld), "MPI_Barrier");
}

void finalize() {
  {
    std::lock_guard<std::mutex> lock(stateMu);
    if (!up) return;
    up = false;
    down = true;
  }
  const Api& a = api();
  int gone = 0;
  check(a, a.finalized(&gone), "MPI_Finalized");
  if (!gone) check(a, a.finalize(), "MPI_Finalize");
}

void abort(int code) {
  world();
  const Api& a = api();
  check(a, a.abort(a.commWorld, code), "MPI_Abort");
  throw Error("MPI_Abort returned without ending the process");
}

}  // namespace robusta::mpi
