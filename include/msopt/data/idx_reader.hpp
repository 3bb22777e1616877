// IDX files (the MNIST/Fashion-MNIST format, optionally gzip-compressed):
// magic 0x00 0x00 type ndims, big-endian uint32 dimensions, then the data.
// Only unsigned bytes (type 0x08) are read, as the image and label files use.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace msopt {

struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> values;
};

// Parses an IDX image in memory; `name` is used in messages. Throws
// msopt::Error naming the problem (truncated, bad magic, wrong type, ...).
IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& name);

// Reads (and gunzips, if compressed) a whole IDX file with zlib.
IdxArray read_idx(const std::string& path);

}  // namespace msopt
