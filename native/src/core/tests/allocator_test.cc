// The pooled host allocator: size classes, reuse of freed blocks, trim, the counters the backend reports, and
// alloc/free from several threads at once.
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/allocator.h"
#include "core/error.h"
#include "core/tests/harness.h"

namespace {

using robusta::HostPool;
using robusta::PoolStats;
using robusta::test::fail;

ROBUSTA_TEST(allocator, size_classes_bound_the_slack_and_keep_64_byte_multiples) {
  size_t previous = 0;
  for (size_t bytes = 1; bytes <= (size_t(1) << 26); bytes = bytes < 8192 ? bytes + 1 : bytes + bytes / 7 + 1) {
    const size_t cap = HostPool::sizeClass(bytes);
    if (cap < bytes) fail("sizeClass(", bytes, ") = ", cap, " is smaller than the request");
    if (cap % 64 != 0) fail("sizeClass(", bytes, ") = ", cap, " is not a multiple of 64 (aligned_alloc needs it)");
    if (cap < previous) fail("sizeClass(", bytes, ") = ", cap, " is below the class of a smaller request, ", previous);
    // small blocks round up to 64 bytes; larger ones keep four classes per power of two (at most 25% slack)
    if (bytes <= 4096 ? cap - bytes >= 64 : cap * 4 > bytes * 5)
      fail("sizeClass(", bytes, ") = ", cap, " wastes more than the class scheme allows");
    previous = cap;
  }
  EXPECT(HostPool::sizeClass(0) == 64);
  EXPECT(HostPool::sizeClass(64) == 64);
  EXPECT(HostPool::sizeClass(65) == 128);
  EXPECT(HostPool::sizeClass(4097) == 5120);
}

ROBUSTA_TEST(allocator, a_freed_block_is_handed_out_again_for_its_size_class_only) {
  HostPool& pool = HostPool::instance();
  const PoolStats s0 = pool.stats();
  size_t cap = 0;
  void* p = pool.allocate(1000, &cap);
  EXPECT(cap == HostPool::sizeClass(1000), "capacity ", cap);
  EXPECT(reinterpret_cast<uintptr_t>(p) % 64 == 0, "block at ", p, " is not 64-byte aligned");
  std::memset(p, 0xAB, 1000);  // the whole request is writable
  const PoolStats s1 = pool.stats();
  EXPECT(s1.liveBytes == s0.liveBytes + cap);
  pool.release(p, cap);
  const PoolStats s2 = pool.stats();
  EXPECT(s2.liveBytes == s0.liveBytes && s2.pooledBytes >= cap);

  size_t otherCap = 0;
  void* other = pool.allocate(5000, &otherCap);  // another class: must not receive the 1000-byte block
  EXPECT(other != p && otherCap == HostPool::sizeClass(5000));
  size_t againCap = 0;
  void* again = pool.allocate(990, &againCap);  // same class as 1000
  EXPECT(again == p, "a block of the freed class was not reused");
  EXPECT(againCap == cap);
  const PoolStats s3 = pool.stats();
  EXPECT(s3.reusedBlocks >= s2.reusedBlocks + 1);
  EXPECT(s3.liveBytes == s0.liveBytes + cap + otherCap);
  pool.release(again, againCap);
  pool.release(other, otherCap);
}

ROBUSTA_TEST(allocator, trim_returns_pooled_blocks_and_the_next_request_is_fresh) {
  HostPool& pool = HostPool::instance();
  size_t cap = 0;
  void* p = pool.allocate(12345, &cap);
  pool.release(p, cap);
  EXPECT(pool.stats().pooledBytes >= cap);
  pool.trim();
  EXPECT(pool.stats().pooledBytes == 0, "pooled bytes after trim: ", pool.stats().pooledBytes);
  const PoolStats before = pool.stats();
  void* q = pool.allocate(12345, &cap);
  const PoolStats after = pool.stats();
  EXPECT(after.freshBlocks == before.freshBlocks + 1 && after.freshBytes == before.freshBytes + cap);
  EXPECT(after.reusedBlocks == before.reusedBlocks);
  pool.release(q, cap);
}

ROBUSTA_TEST(allocator, an_impossible_request_is_an_error_naming_its_size) {
  size_t cap = 0;
  const size_t huge = size_t(1) << 62;  // beyond any x86-64 address space, even with 5-level paging
  try {
    void* p = HostPool::instance().allocate(huge, &cap);
    HostPool::instance().release(p, cap);
  } catch (const robusta::Error& e) {
    const std::string what = e.what();
    EXPECT(what.find(std::to_string(huge)) != std::string::npos, "message: ", what);
    return;
  }
  fail("allocating ", huge, " bytes did not throw");
}

ROBUSTA_TEST(allocator, threads_allocating_and_freeing_at_once_never_share_a_block) {
  HostPool& pool = HostPool::instance();
  const uint64_t live0 = pool.stats().liveBytes;
  constexpr int kThreads = 4, kRounds = 3000;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &pool, &errors] {
      uint32_t s = 2654435761u * uint32_t(t + 1);
      std::vector<std::pair<unsigned char*, size_t>> held;
      for (int r = 0; r < kRounds; ++r) {
        s = s * 1664525u + 1013904223u;
        const size_t bytes = 1 + (s >> 8) % 20000;
        size_t cap = 0;
        auto* p = static_cast<unsigned char*>(pool.allocate(bytes, &cap));
        std::memset(p, t + 1, bytes);  // a block handed to two threads at once would carry the other's mark
        held.emplace_back(p, bytes);
        if (held.size() > 8 || (s & 1)) {
          auto [q, n] = held.front();
          held.erase(held.begin());
          for (size_t i = 0; i < n; i += 97)
            if (q[i] != t + 1) {
              errors[size_t(t)] = "thread " + std::to_string(t) + " found another thread's byte in its block";
              return;
            }
          pool.release(q, HostPool::sizeClass(n));
        }
      }
      for (auto [q, n] : held) pool.release(q, HostPool::sizeClass(n));
    });
  }
  for (auto& th : threads) th.join();
  for (const std::string& e : errors)
    if (!e.empty()) fail(e);
  EXPECT(pool.stats().liveBytes == live0, "live bytes ", pool.stats().liveBytes, " after every block was freed, ",
         live0, " before");
}

}  // namespace
