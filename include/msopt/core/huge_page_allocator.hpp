// The storage of the arrays every gradient streams from memory (a dataset's X).
// Blocks of 4 MiB and more are 2 MiB-aligned and advised for transparent huge
// pages (madvise MADV_HUGEPAGE) before their first touch, as numpy's allocator
// does: under Linux's default "madvise" setting, plain malloc gets 4 kB pages,
// and on an AVX-512 Xeon VM one core then read X at 12.8 GB/s against 17.2
// with huge pages, and the least-squares gradient took 71 ms against 57
// (bench/run_gradient_bench.sh, issue 12). Where the kernel has no huge pages
// the advice is ignored and the memory is plain. Smaller blocks are
// cache-line aligned, so that no vector load of them straddles two lines.
#pragma once
#include <cstddef>
#include <limits>
#include <new>
#include <vector>

namespace msopt {

void* allocate_huge_page_advised(std::size_t bytes);  // throws std::bad_alloc
void release_huge_page_advised(void* block) noexcept;

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() noexcept = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(allocate_huge_page_advised(n * sizeof(T)));
  }
  void deallocate(T* block, std::size_t) noexcept { release_huge_page_advised(block); }
};

template <class T, class U>
bool operator==(const HugePageAllocator<T>&, const HugePageAllocator<U>&) noexcept {
  return true;
}
template <class T, class U>
bool operator!=(const HugePageAllocator<T>&, const HugePageAllocator<U>&) noexcept {
  return false;
}

using HugePageVector = std::vector<double, HugePageAllocator<double>>;

}  // namespace msopt
