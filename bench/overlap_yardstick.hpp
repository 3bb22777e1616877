// How far this core overlaps a read from memory with arithmetic when nothing
// depends on the data: the yardstick of the fused softmax H v
// (bench_softmax_spectrum). A loop of register-only FMAs, tuned to take a
// given compute time, walks X in blocks of `block_lines` cache lines like the
// fused kernel: the inner steps of one block prefetch as many lines into L2,
// starting `lead_lines` after the block's start (spread evenly over the
// steps), then the block is read back from cache. Its time is what the
// kernel's prefetch scheme gives at best for that compute time and that read;
// an H v near it has nothing left to gain from reordering its memory accesses.
#pragma once
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "bench_common.hpp"

namespace bench {

struct Overlap {
  double compute_s = 0;  // the register-only loop alone (median)
  double overlap_s = 0;  // the same loop streaming X (median); 0 where not measured
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

typedef double OverlapLanes __attribute__((vector_size(64)));

// steps_per_block steps of 16 independent 8-wide FMAs per block; with
// `stream`, each block's steps prefetch block_lines lines from lead_lines on,
// and the block is then summed.
__attribute__((target("avx512f"), noinline)) inline double overlap_loop(const double* x, std::size_t lines,
                                                                         std::size_t block_lines, std::size_t lead_lines,
                                                                         std::size_t steps_per_block, bool stream) {
  OverlapLanes acc[16], sum[8] = {};
  for (int i = 0; i < 16; ++i) acc[i] = OverlapLanes{} + 1e-9 * i;
  const OverlapLanes scale = OverlapLanes{} + 0.999999, shift = OverlapLanes{} + 1e-9;
  const char* base = reinterpret_cast<const char*>(x);
  for (std::size_t b = 0; b + block_lines <= lines; b += block_lines) {
    std::size_t next = b + lead_lines;
    for (std::size_t s = 0; s < steps_per_block; ++s) {
      const std::size_t upto = b + lead_lines + (s + 1) * block_lines / steps_per_block;
      if (stream)
        for (; next < upto; ++next)
          if (next < lines) __builtin_prefetch(base + 64 * next, 0, 2);
#pragma GCC unroll 16
      for (int i = 0; i < 16; ++i) acc[i] = acc[i] * scale + shift;
    }
    if (stream) {
      const OverlapLanes* block = reinterpret_cast<const OverlapLanes*>(base + 64 * b);
      for (std::size_t l = 0; l + 8 <= block_lines; l += 8)
        for (int u = 0; u < 8; ++u) sum[u] += block[l + u];
    }
  }
  OverlapLanes total{};
  for (const OverlapLanes& a : acc) total += a;
  for (const OverlapLanes& s : sum) total += s;
  return total[0] + total[7];
}

// X (n doubles, 64-byte aligned) on every rank at once; the loop is tuned
// so that its compute alone takes about compute_s (slowest rank).
inline Overlap overlap_yardstick(MPI_Comm comm, const double* x, std::size_t n, std::size_t block_lines,
                                 std::size_t lead_lines, double compute_s) {
  const std::size_t lines = n / 8;
  volatile double sink = 0;  // keeps the loops from being optimised away
  auto median = [&](std::size_t steps, bool stream) {
    std::vector<double> t;
    for (int r = 0; r < 5; ++r)
      t.push_back(timed(comm, [&] { sink = sink + overlap_loop(x, lines, block_lines, lead_lines, steps, stream); }));
    return stats(t).median;
  };
  const std::size_t probe = block_lines;
  const double probe_s = median(probe, false);
  const std::size_t steps = std::max<std::size_t>(1, std::lround(probe * compute_s / probe_s));
  Overlap o;
  o.compute_s = median(steps, false);
  o.overlap_s = median(steps, true);
  return o;
}

#else

inline Overlap overlap_yardstick(MPI_Comm, const double*, std::size_t, std::size_t, std::size_t, double) { return {}; }

#endif

}  // namespace bench
