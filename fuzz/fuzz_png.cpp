// libFuzzer target: PNG decoding to 8-bit gray (msopt::decode_png_gray,
// libpng's simplified API) of arbitrary bytes. msopt::Error is the expected
// outcome for malformed input; anything else is a finding.
#include <cstdint>

#include "msopt/core/error.hpp"
#include "msopt/data/png_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    msopt::GrayImage image = msopt::decode_png_gray(data, size, "fuzz");
    if (image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) __builtin_trap();
  } catch (const msopt::Error&) {
  }
  return 0;
}
