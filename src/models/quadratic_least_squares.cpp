#include "msopt/models/quadratic_least_squares.hpp"

#include <cmath>
#include <cstddef>

#include "msopt/core/error.hpp"
#include "msopt/core/simd_clones.hpp"

namespace msopt {

namespace {

// x . w with eight partial sums: the compiler vectorises them, and the adds
// do not wait on one another.
double dot(const double* __restrict x, const double* __restrict w, std::ptrdiff_t d) {
  double a[8] = {};
  std::ptrdiff_t j = 0;
  for (; j + 8 <= d; j += 8)
    for (int k = 0; k < 8; ++k) a[k] += x[j + k] * w[j + k];
  double t = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  for (; j < d; ++j) t += x[j] * w[j];
  return t;
}

}  // namespace

QuadraticLeastSquares::QuadraticLeastSquares(const Dataset& data)
    : data_(data), b_(data.dim), direction_(data.dim), sum_(data.dim) {
  // b = -grad L(0)
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
//   On an AMD EPYC of family 26 (Zen 5) the hardware prefetch falls behind when
// both cores stream: 56-73 % of the read bandwidth at 2 ranks, against 74-92 %
// with the next rows' lines requested 8 rows ahead (12: 79-87 %, 64: 60-70 %;
// four alternating runs each, 2026-12-02); at 1 rank 68-73 % either way. The
// Xeon above lost points with it, so only AMD CPUs prefetch.
constexpr std::ptrdiff_t kAmdPrefetchRows = 8;

MSOPT_SIMD_CLONES
void QuadraticLeastSquares::accumulate(const double* w_in, double c, double* partial_out, double* value) {
  const std::ptrdiff_t d = data_.dim, n = data_.rows.count;
  std::copy(w_in, w_in + d, direction_.begin());
  std::fill(sum_.begin(), sum_.end(), 0.0);
  const double* __restrict w = direction_.data();
  double* __restrict partial = sum_.data();
  const double inv_n = 1.0 / static_cast<double>(data_.n_global);
  const double* y = data_.y.data();
  double local_value = 0;
  auto residual = [&](std::ptrdiff_t i, const double* x) {
    const double t = dot(x, w, d);
    local_value += t * (0.5 * t - c * y[i]);
    return (t - c * y[i]) * inv_n;
  };
  // Rows addressed from X directly: Dataset::row takes a PetscInt (32-bit), and
  // with it the loop falls back to 77-79 % of the read bandwidth.
  static const std::ptrdiff_t ahead = __builtin_cpu_is("amd") ? kAmdPrefetchRows : 0;
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double* __restrict x0 = data_.X.data() + i * d;
    const double* __restrict x1 = x0 + d;
    const double* __restrict x2 = x1 + d;
    const double* __restrict x3 = x2 + d;
    if (ahead > 0 && i + ahead + 4 <= n) {  // the four rows `ahead` rows on, a cache line at a time
      const char* next = reinterpret_cast<const char*>(x0 + ahead * d);
      for (std::ptrdiff_t byte = 0; byte < 4 * d * static_cast<std::ptrdiff_t>(sizeof(double)); byte += 64)
        __builtin_prefetch(next + byte, 0, 2);
    }
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
