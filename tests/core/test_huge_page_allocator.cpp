// The storage of a dataset's X: large blocks 2 MiB-aligned and advised for
// transparent huge pages, small ones cache-line aligned; a vector of it behaves as any.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>

#include "msopt/core/huge_page_allocator.hpp"

using msopt::HugePageVector;

namespace {

// The THPeligible field of /proc/self/smaps for the mapping holding `address`, or -1.
int thp_eligible(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= at && at < end;
    } else if (inside && line.rfind("THPeligible:", 0) == 0) {
      return std::stoi(line.substr(12));
    }
  }
  return -1;
}

std::string thp_setting() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text;
  std::getline(f, text);
  return text;
}

}  // namespace

TEST(HugePageAllocator, LargeBlocksAreAlignedAndAdvised) {
  HugePageVector x(std::size_t{6} << 20);  // 48 MiB
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(x.data()) % (std::size_t{2} << 20), 0u);
  std::iota(x.begin(), x.end(), 0.0);
  EXPECT_EQ(x.back(), static_cast<double>(x.size() - 1));
  const std::string setting = thp_setting();
  if (setting.find("[never]") != std::string::npos || setting.empty())
    GTEST_SKIP() << "transparent huge pages are off on this kernel";
  const int eligible = thp_eligible(x.data() + x.size() / 2);
  if (eligible < 0) GTEST_SKIP() << "this kernel's /proc/self/smaps has no THPeligible field";
  EXPECT_EQ(eligible, 1) << "setting: " << setting;
}

TEST(HugePageAllocator, SmallBlocksAndCopiesBehaveAsVectors) {
  HugePageVector empty, small(3, 1.5);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data()) % 64, 0u);  // a cache line: no split vector loads
  small.push_back(2.5);
  HugePageVector copy = small;
  EXPECT_EQ(copy, small);
  copy.resize(std::size_t{1} << 20, 7.0);  // grows past the advised size: moved into a huge-page block
  EXPECT_EQ(copy[3], 2.5);
  EXPECT_EQ(copy.back(), 7.0);
  copy.swap(small);
  EXPECT_EQ(copy.size(), 4u);
  EXPECT_THROW(empty.reserve(empty.max_size() + 1), std::length_error);
}
