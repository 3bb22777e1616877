// libFuzzer target: IDX parsing (msopt::parse_idx) of arbitrary bytes.
// msopt::Error is the expected outcome for malformed input; anything else
// (a crash, a sanitizer report, another exception) is a finding.
#include <cstdint>

#include "msopt/core/error.hpp"
#include "msopt/data/idx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    msopt::IdxArray array = msopt::parse_idx(data, size, "fuzz");
    std::size_t count = 1;
    for (auto d : array.dims) count *= d;
    if (count != array.values.size()) __builtin_trap();  // the parser's own promise
  } catch (const msopt::Error&) {
  }
  return 0;
}
