#include "msopt/data/png_reader.hpp"

#include <png.h>

#include <cstring>

#include "msopt/core/error.hpp"
#include "msopt/core/run_files.hpp"

namespace msopt {

namespace {

constexpr std::uint32_t kMaxSide = 1 << 14;  // 16384 pixels a side at most

GrayImage finish(png_image& image, const std::string& name) {
  require(!PNG_IMAGE_FAILED(image), "'" + name + "' is not a readable PNG image (" + image.message + ")");
  if (image.width == 0 || image.height == 0 || image.width > kMaxSide || image.height > kMaxSide) {
    png_image_free(&image);
    throw Error("'" + name + "': image size " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                " is out of range");
  }
  GrayImage out;
  out.width = image.width;
  out.height = image.height;
  out.converted = image.format != PNG_FORMAT_GRAY;
  image.format = PNG_FORMAT_GRAY;
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  bool ok = png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr) != 0;
  std::string message = image.message;
  png_image_free(&image);
  require(ok, "'" + name + "' is a damaged PNG image (" + message + ")");
  return out;
}

}  // namespace

GrayImage read_png_gray(const std::string& path) {
  const std::string problem = regular_file_problem(path);
  require(problem.empty(), problem);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  png_image_begin_read_from_file(&image, path.c_str());
  return finish(image, path);
}

GrayImage decode_png_gray(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  png_image_begin_read_from_memory(&image, bytes, size);
  return finish(image, name);
}

}  // namespace msopt
