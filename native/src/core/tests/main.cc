// Runs the core's native tests: `robusta_core_tests [--bench] [substring]`; prints "N passed, N failed" and exits
// non-zero when any case failed. Cases that cannot run on this machine are skipped with a printed reason.
#include <cstring>
#include <iostream>
#include <set>
#include <string>

#include "core/tests/harness.h"

namespace robusta::test {

std::vector<Case>& cases() {
  static std::vector<Case> list;
  return list;
}

}  // namespace robusta::test

int main(int argc, char** argv) {
  using namespace robusta::test;
  bool bench = false;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bench") == 0) bench = true;
    else filter = argv[i];
  }
  int passed = 0, failed = 0, skipped = 0;
  std::set<std::string> skipNotes;
  for (const Case& c : cases()) {
    if (c.bench && !bench) continue;
    const std::string full = std::string(c.suite) + "." + c.name;
    if (!filter.empty() && full.find(filter) == std::string::npos) continue;
    try {
      c.fn();
      ++passed;
      std::cout << "ok    " << full << std::endl;
    } catch (const Skip& s) {
      ++skipped;
      const std::string note = std::string(c.suite) + ": skipped: " + s.reason;
      if (skipNotes.insert(note).second) std::cout << note << std::endl;
    } catch (const std::exception& e) {
      ++failed;
      std::cout << "FAIL  " << full << ": " << e.what() << std::endl;
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (skipped) std::cout << " (" << skipped << " skipped)";
  std::cout << std::endl;
  return failed == 0 ? 0 : 1;
}
