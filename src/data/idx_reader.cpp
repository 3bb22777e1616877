#include "msopt/data/idx_reader.hpp"

#include <zlib.h>

#include "msopt/core/error.hpp"
#include "msopt/core/run_files.hpp"

namespace msopt {

namespace {

constexpr std::size_t kMaxBytes = std::size_t{1} << 32;  // 4 GiB: larger is not an IDX file we can hold

}  // namespace

IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
  require(size >= 4, "'" + name + "' is too short for an IDX file");
  require(bytes[0] == 0 && bytes[1] == 0, "'" + name + "' is not an IDX file (bad magic number)");
  require(bytes[2] == 0x08, "'" + name + "': IDX element type " + std::to_string(bytes[2]) +
                                " is not unsigned byte (0x08)");
  const unsigned ndims = bytes[3];
  require(ndims >= 1 && ndims <= 4, "'" + name + "': IDX with " + std::to_string(ndims) + " dimensions");
  require(size >= 4 + 4 * std::size_t{ndims}, "'" + name + "' is truncated (in the dimensions)");
  IdxArray array;
  std::size_t count = 1;
  for (unsigned k = 0; k < ndims; ++k) {
    const std::uint8_t* p = bytes + 4 + 4 * k;
    std::uint32_t d = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    require(d > 0, "'" + name + "': IDX dimension " + std::to_string(k) + " is zero");
    require(count <= kMaxBytes / d, "'" + name + "': IDX dimensions are implausibly large");
    count *= d;
    array.dims.push_back(d);
  }
  const std::size_t header = 4 + 4 * std::size_t{ndims};
  require(size - header >= count, "'" + name + "' is truncated: " + std::to_string(size - header) + " of " +
                                      std::to_string(count) + " data bytes");
  require(size - header == count, "'" + name + "' has " + std::to_string(size - header - count) +
                                      " bytes after the data");
  array.values.assign(bytes + header, bytes + header + count);
  return array;
}

IdxArray read_idx(const std::string& path) {
  const std::string problem_with_file = regular_file_problem(path);
  require(problem_with_file.empty(), problem_with_file);
  gzFile file = gzopen(path.c_str(), "rb");  // reads plain files too
  require(file != nullptr, "cannot read file '" + path + "'");
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  int got = 0;
  while ((got = gzread(file, buffer, sizeof buffer)) > 0 && bytes.size() <= kMaxBytes)
    bytes.insert(bytes.end(), buffer, buffer + got);
  int error = 0;
  const char* message = gzerror(file, &error);
  std::string problem = got < 0 ? (message ? message : "read error") : "";
  gzclose(file);
  require(problem.empty(), "'" + path + "' is corrupt: " + problem);
  return parse_idx(bytes.data(), bytes.size(), path);
}

}  // namespace msopt
