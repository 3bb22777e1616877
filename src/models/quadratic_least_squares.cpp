#include "msopt/models/quadratic_least_squares.hpp"

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "msopt/core/error.hpp"
#include "msopt/core/simd_clones.hpp"

namespace msopt {

namespace {

// Local X from which the prefetch is chosen by timing; below, none: the rows
// stay in cache from one pass to the next, or the passes are too short to time.
constexpr std::size_t kTimedPrefetchBytes = std::size_t{16} << 20;

// x . w with eight partial sums (one vector of lanes: the adds do not wait on
// one another); with `ahead` > 0 it also requests the line `ahead` doubles on
// for each 8 it reads.
inline double dot(const double* __restrict x, const double* __restrict w, std::ptrdiff_t d, std::ptrdiff_t ahead) {
  Lanes a = {};
  std::ptrdiff_t j = 0;
  for (; j + 8 <= d; j += 8) {
    if (ahead > 0)  // a hint, which never faults: past X's end too (an address, not a pointer, out there)
      __builtin_prefetch(reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(x + j) + sizeof(double) * ahead), 0, 3);
    a += *reinterpret_cast<const UnalignedLanes*>(x + j) * *reinterpret_cast<const UnalignedLanes*>(w + j);
  }
  double t = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  for (; j < d; ++j) t += x[j] * w[j];
  return t;
}

}  // namespace

QuadraticLeastSquares::QuadraticLeastSquares(const Dataset& data)
    : data_(data), b_(data.dim), direction_(data.dim), sum_(data.dim) {
  if (data.X.size() * sizeof(double) < kTimedPrefetchBytes) prefetch_.settle(false);
  // b = -grad L(0) (the first of the passes that choose the prefetch)
  std::vector<double> zero(data.dim, 0.0);
  value_and_gradient(zero.data(), b_.data());
  double sum = 0;
  for (double& v : b_) {
    v = -v;
    sum += v * v;
  }
  b_norm_ = std::sqrt(sum);
}

// Four rows at a time: t = x_i . w for each, then partial += sum r_i x_i while
// the rows are in L1, so X streams from memory once and without pauses, and
// partial is loaded and stored once per four rows. Two BLAS gemv per block of
// rows (X_b w, then X_b^T r from cache) did the same arithmetic, but
// OpenBLAS's dgemv streams X at under half the read bandwidth (any of its x86
// kernels on an AMD EPYC, issue 12) and memory idles while the block is
// re-read: 43 % of the read bandwidth at 1 and 2 ranks, against about 70 % at
// 1 rank and 85 % at 2 for this loop (bench/run_gradient_bench.sh).
//
// Built for AVX-512, AVX2 and the x86-64 baseline (MSOPT_SIMD_CLONES): with
// SSE2 alone the loop issues so many instructions per row that one core cannot
// keep up with memory (66-71 % of the read bandwidth at 1 rank on an AMD EPYC),
// the AVX2 copy 77-82 % there. On an AVX-512 Xeon (issue 12, alternating runs
// of bench/run_gradient_bench.sh's kernel in one session) the AVX2 copy reached
// 74-77 % at 1 rank and 68-70 % at 2; the AVX-512 copy without FMA 77-81 % and
// 71-80 %, with FMA 81-84 % and 78-80 %: fewer instructions per row let the
// core run further ahead of memory. Tried without gain: 8 rows per step,
// software prefetch (8 or 32 rows ahead: 5-15 points lost on the Xeon),
// two-level blocking, 16 partial sums in dot, and taking the dots of four rows
// in one loop (the next block's dots beside this block's update, or four rows
// side by side): four row streams read side by side from memory run at 65-80 %
// of the speed of one row after the other on both CPUs. With X on huge pages
// (HugePageAllocator) memory reads 35 % faster there and the loop becomes the
// limit: working on cache-line aligned copies of w and of the sum lifted it
// from 72-76 % to 76-79 % of the read bandwidth at 1 rank and from 75-76 % to
// 78-81 % at 2 (alternating runs); an overlapping last chunk in place of the
// scalar tail of dot lost 4-6 points.
//   Software prefetch: where the hardware prefetcher falls behind, dot
// requests each row's lines kPrefetchAheadDoubles on as it reads them. On an
// AMD EPYC of family 26 (Zen 5) at 2 ranks, 56-73 % of the read bandwidth
// without and 74-92 % with the next rows' lines requested 8 rows ahead (at 1
// rank 68-73 % either way); on an AVX-512 Xeon of model 167 (2026-12-03,
// alternating runs) about 70 % without and 95-117 % of a plain read's
// bandwidth with lines requested 2, 4 or 6.4 kB ahead, at 1 and 2 ranks and d
// = 50, 100 and 1000 (d = 12: about 65 % either way, the rows are too short),
// and 93-96 % of a read that prefetches as well (bench/run_gradient_bench.sh);
// and yet on the earlier Xeon 8 or 32 rows ahead cost 5-15 points. So the first
// passes over an X larger than the caches try both ways and keep the faster
// (TimedChoice: the same arithmetic, the same bits).
constexpr std::ptrdiff_t kPrefetchAheadDoubles = 512;  // 4 kB

void QuadraticLeastSquares::accumulate(const double* w, double c, double* partial, double* value) {
  const std::ptrdiff_t ahead = prefetch_.second() ? kPrefetchAheadDoubles : 0;
  if (prefetch_.settled()) return accumulate_rows(w, c, partial, value, ahead);  // the clock only while choosing
  const auto start = std::chrono::steady_clock::now();
  accumulate_rows(w, c, partial, value, ahead);
  prefetch_.record(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

MSOPT_SIMD_CLONES
void QuadraticLeastSquares::accumulate_rows(const double* w_in, double c, double* partial_out, double* value,
                                            std::ptrdiff_t ahead) {
  const std::ptrdiff_t d = data_.dim, n = data_.rows.count;
  std::copy(w_in, w_in + d, direction_.begin());
  std::fill(sum_.begin(), sum_.end(), 0.0);
  const double* __restrict w = direction_.data();
  double* __restrict partial = sum_.data();
  const double inv_n = 1.0 / static_cast<double>(data_.n_global);
  const double* y = data_.y.data();
  double local_value = 0;
  auto residual = [&](std::ptrdiff_t i, const double* x) {
    const double t = dot(x, w, d, ahead);
    local_value += t * (0.5 * t - c * y[i]);
    return (t - c * y[i]) * inv_n;
  };
  // Rows addressed from X directly: Dataset::row takes a PetscInt (32-bit), and
  // with it the loop falls back to 77-79 % of the read bandwidth.
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double* __restrict x0 = data_.X.data() + i * d;
    const double* __restrict x1 = x0 + d;
    const double* __restrict x2 = x1 + d;
    const double* __restrict x3 = x2 + d;
    const double r0 = residual(i, x0), r1 = residual(i + 1, x1), r2 = residual(i + 2, x2), r3 = residual(i + 3, x3);
    for (std::ptrdiff_t j = 0; j < d; ++j) partial[j] += (r0 * x0[j] + r1 * x1[j]) + (r2 * x2[j] + r3 * x3[j]);
  }
  for (; i < n; ++i) {
    const double* __restrict x = data_.X.data() + i * d;
    const double r = residual(i, x);
    for (std::ptrdiff_t j = 0; j < d; ++j) partial[j] += r * x[j];
  }
  std::copy(sum_.begin(), sum_.end(), partial_out);
  if (value) *value = local_value * inv_n;
}

void QuadraticLeastSquares::local_value_and_gradient(const double* w, double* partial) {
  accumulate(w, 2.0, partial, partial + data_.dim);
}

void QuadraticLeastSquares::local_hessian_vector(const double*, const double* v, double* partial) {
  accumulate(v, 0.0, partial, nullptr);
}

}  // namespace msopt
