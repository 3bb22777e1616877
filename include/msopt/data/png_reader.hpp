// PNG images through libpng's simplified API: any PNG (gray or colour, any
// bit depth, with or without alpha) is converted to 8-bit grayscale.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace msopt {

struct GrayImage {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, height x width
  bool converted = false;            // the file was not 8-bit grayscale
};

// Throws msopt::Error naming the file and libpng's reason.
GrayImage read_png_gray(const std::string& path);
GrayImage decode_png_gray(const std::uint8_t* bytes, std::size_t size, const std::string& name);

}  // namespace msopt
