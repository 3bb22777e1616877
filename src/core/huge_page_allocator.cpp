#include "msopt/core/huge_page_allocator.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

namespace msopt {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;  // x86-64's transparent huge page
constexpr std::size_t kAdvisedFrom = 2 * kHugePage;      // below: the rounding would waste too much
constexpr std::size_t kCacheLine = 64;
}  // namespace

void* allocate_huge_page_advised(std::size_t bytes) {
  if (bytes < kAdvisedFrom) {
    const std::size_t lines = std::max<std::size_t>((bytes + kCacheLine - 1) / kCacheLine, 1);
    void* block = std::aligned_alloc(kCacheLine, lines * kCacheLine);
    if (!block) throw std::bad_alloc();
    return block;
  }
  if (bytes > std::numeric_limits<std::size_t>::max() - kHugePage) throw std::bad_alloc();
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* block = std::aligned_alloc(kHugePage, rounded);
  if (!block) throw std::bad_alloc();
  madvise(block, rounded, MADV_HUGEPAGE);  // advice only: an error leaves plain pages
  return block;
}

void release_huge_page_advised(void* block) noexcept { std::free(block); }

}  // namespace msopt
