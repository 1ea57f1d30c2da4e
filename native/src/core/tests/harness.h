// A minimal registry for the core's native tests (no framework to install): ROBUSTA_TEST / ROBUSTA_BENCH register
// cases, EXPECT throws on failure, Skip marks a case that cannot run on this machine (printed with its reason).
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace robusta::test {

struct Case {
  const char* suite;
  const char* name;
  void (*fn)();
  bool bench;  // run only with --bench
};

std::vector<Case>& cases();

inline int add(const char* suite, const char* name, void (*fn)(), bool bench) {
  cases().push_back({suite, name, fn, bench});
  return 0;
}

/** Thrown by a case that cannot run here; the runner prints "<suite>: skipped: <reason>" once per suite. */
struct Skip {
  std::string reason;
};

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** Builds a message from streamable parts: fail("index ", i, ": ", got, " vs ", want). */
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream s;
  (s << ... << parts);
  throw Failure(s.str());
}

}  // namespace robusta::test

#define ROBUSTA_TEST_CAT2(a, b) a##b
#define ROBUSTA_TEST_CAT(a, b) ROBUSTA_TEST_CAT2(a, b)
#define ROBUSTA_CASE(suite, name, bench)                                                                    \
  static void ROBUSTA_TEST_CAT(suite##_##name, _fn)();                                                      \
  static const int ROBUSTA_TEST_CAT(suite##_##name, _reg) =                                                 \
      ::robusta::test::add(#suite, #name, &ROBUSTA_TEST_CAT(suite##_##name, _fn), bench);                   \
  static void ROBUSTA_TEST_CAT(suite##_##name, _fn)()
#define ROBUSTA_TEST(suite, name) ROBUSTA_CASE(suite, name, false)
#define ROBUSTA_BENCH(suite, name) ROBUSTA_CASE(suite, name, true)

#define EXPECT(cond, ...)                                                                                  \
  do {                                                                                                      \
    if (!(cond)) ::robusta::test::fail(__FILE__, ":", __LINE__, ": expected ", #cond, " ", ##__VA_ARGS__); \
  } while (0)
