#include "msopt/models/softmax_hessian_kernels.hpp"

#include <petscblaslapack.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "msopt/core/simd_clones.hpp"

namespace msopt {

namespace {

// Rows per pair of thin dgemms. With OpenBLAS 0.3.21, a 20-eigenvalue solve
// (bench_softmax_spectrum, Fashion-MNIST, d = 784, 1 rank on an AMD EPYC)
// takes 5.7-6.1 s for blocks of 32-96 rows but 10.3 s for 128 and 10.5 s
// for 256: OpenBLAS changes kernel for these shapes, and 64 rows (400 kB)
// stay in L2 for the second product.
constexpr PetscInt kBlasBlockRows = 64;
// Columns per chunk of the fused kernel's logits (a multiple of 8).
constexpr PetscInt kLogitsChunk = 392;

// r_i = p_i * (u_i - p_i . u_i) in place of the logits u_i, and out_b += r_i.
void logits_to_residuals(double* u, const double* p, PetscInt rows, int k, double* out_b) {
  for (PetscInt i = 0; i < rows; ++i, u += k, p += k) {
    double pu = 0;
    for (int c = 0; c < k; ++c) pu += p[c] * u[c];
    for (int c = 0; c < k; ++c) out_b[c] += (u[c] = p[c] * (u[c] - pu));
  }
}

}  // namespace

PetscInt softmax_hessian_workspace_size(int classes) {
  // blas: a block's logits; fused: a block's logits, then its lane-wise partial sums (64-byte aligned).
  return static_cast<PetscInt>(classes) * std::max(kBlasBlockRows, kSoftmaxFusedBlockRows * 9) + 8;
}

void softmax_logits(const double* theta, const double* x, PetscInt rows, PetscInt dim, int classes, double* z) {
  const PetscBLASInt bk = static_cast<PetscBLASInt>(classes), bd = static_cast<PetscBLASInt>(dim),
                     brows = static_cast<PetscBLASInt>(rows);
  const double* bias = theta + classes * dim;
  for (PetscInt i = 0; i < rows; ++i) std::copy(bias, bias + classes, z + i * classes);
  // Column-major: Z (k x rows) = W (k x d, i.e. the d x k array transposed) X_b^T (d x rows) + Z.
  const double one = 1.0;
  BLASgemm_("T", "N", &bk, &brows, &bd, &one, theta, &bd, x, &bd, &one, z, &bk);
}

void add_softmax_hessian_vector_blas(const SoftmaxRows& t, const double* v, double* out, double* u) {
  const int k = t.classes;
  const PetscBLASInt bk = static_cast<PetscBLASInt>(k), bd = static_cast<PetscBLASInt>(t.dim);
  const double one = 1.0;
  for (PetscInt start = 0; start < t.rows; start += kBlasBlockRows) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(kBlasBlockRows, t.rows - start));
    const double* x = t.x + start * t.dim;
    softmax_logits(v, x, rows, t.dim, k, u);  // the direction's logits u_i = V x_i + c
    logits_to_residuals(u, t.probabilities + start * k, rows, k, out + k * t.dim);
    // Column-major: out_W^T (d x k) += X_b^T (d x rows) R (rows x k), R^T = u (k x rows).
    BLASgemm_("N", "T", &bd, &bk, &rows, &one, x, &bd, u, &bk, &one, out, &bd);
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

bool softmax_fused_kernel_available() { return __builtin_cpu_supports("avx512f"); }

#define MSOPT_AVX512 __attribute__((target("avx512f")))
// On every loop over a tile's accumulators: fully unrolled from the start, they
// stay in registers. Otherwise GCC copies them through the stack at each
// tile's start and end, which cost 5-10 % of an H v with tiles of 16 rows.
#define MSOPT_UNROLL _Pragma("GCC unroll 16")

namespace {

MSOPT_AVX512 inline Lanes load(const double* p) { return *reinterpret_cast<const UnalignedLanes*>(p); }
MSOPT_AVX512 inline void store(double* p, Lanes a) { *reinterpret_cast<UnalignedLanes*>(p) = a; }
MSOPT_AVX512 inline double lane_sum(Lanes a) {
  return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
}

// One cache line of the rows ahead per inner step, into L2 (a hint: never faults).
struct Prefetch {
  std::uintptr_t next, end;
  MSOPT_AVX512 void step() {
    if (next < end) __builtin_prefetch(reinterpret_cast<const void*>(next), 0, 2);
    next += 64;
  }
};

// Lane-wise partial dot products sum[r][c0 + c] += x_r . V[c0 + c] over the
// columns [j0, j1) (multiples of 8) for R rows and TC classes; sum has k Lanes per row.
template <int R, int TC>
MSOPT_AVX512 Prefetch logits_tile(const double* x, PetscInt d, const double* V, int c0, int k, PetscInt j0,
                                  PetscInt j1, Lanes* sum, Prefetch pf) {
  Lanes acc[R][TC];
  MSOPT_UNROLL for (int r = 0; r < R; ++r)
    MSOPT_UNROLL for (int c = 0; c < TC; ++c) acc[r][c] = j0 == 0 ? Lanes{} : sum[r * k + c0 + c];
  for (PetscInt j = j0; j < j1; j += 8) {
    pf.step();
    Lanes xr[R];
    MSOPT_UNROLL for (int r = 0; r < R; ++r) xr[r] = load(x + r * d + j);
    MSOPT_UNROLL for (int c = 0; c < TC; ++c) {
      const Lanes vc = load(V + (c0 + c) * d + j);
      MSOPT_UNROLL for (int r = 0; r < R; ++r) acc[r][c] += xr[r] * vc;
    }
  }
  MSOPT_UNROLL for (int r = 0; r < R; ++r)
    MSOPT_UNROLL for (int c = 0; c < TC; ++c) sum[r * k + c0 + c] = acc[r][c];
  return pf;
}

// tile(TC, c0, pf) over the classes in tiles of TC = 5 from c0 = 0, then
// one tile of the 1 to 4 left (TC a std::integral_constant).
template <class Tile>
MSOPT_AVX512 Prefetch over_class_tiles(int k, Prefetch pf, Tile tile) {
  int c0 = 0;
  for (; c0 + 5 <= k; c0 += 5) pf = tile(std::integral_constant<int, 5>(), c0, pf);
  switch (k - c0) {
    case 1: return tile(std::integral_constant<int, 1>(), c0, pf);
    case 2: return tile(std::integral_constant<int, 2>(), c0, pf);
    case 3: return tile(std::integral_constant<int, 3>(), c0, pf);
    case 4: return tile(std::integral_constant<int, 4>(), c0, pf);
    default: return pf;
  }
}

// Tiles of R rows by 5 classes (20 accumulators for R = 4), then the rest.
template <int R>
MSOPT_AVX512 Prefetch logits_rows(const double* x, PetscInt d, const double* V, int k, PetscInt j0, PetscInt j1,
                                  Lanes* sum, Prefetch pf) {
  return over_class_tiles(k, pf, [&](auto tc, int c0, Prefetch p) MSOPT_AVX512 {
    return logits_tile<R, decltype(tc)::value>(x, d, V, c0, k, j0, j1, sum, p);
  });
}

// u_i = V x_i + c for a block of rows. The columns go in chunks of
// kLogitsChunk so that V's chunk (10 classes: 31 kB) may stay in L1 for all
// the block's row tiles (41.8 ms per H v on Fashion-MNIST against 43.2 in one pass).
MSOPT_AVX512 Prefetch block_logits(const double* x, PetscInt rows, PetscInt d, const double* v, int k, double* u,
                                   Lanes* sum, Prefetch pf) {
  const PetscInt d8 = d & ~PetscInt{7};
  for (PetscInt j0 = 0; j0 < d8; j0 += kLogitsChunk) {
    const PetscInt j1 = std::min(d8, j0 + kLogitsChunk);
    PetscInt i = 0;
    for (; i + 4 <= rows; i += 4) pf = logits_rows<4>(x + i * d, d, v, k, j0, j1, sum + i * k, pf);
    for (; i < rows; ++i) pf = logits_rows<1>(x + i * d, d, v, k, j0, j1, sum + i * k, pf);
  }
  for (PetscInt i = 0; i < rows; ++i)
    for (int c = 0; c < k; ++c) {
      double s = (d8 > 0 ? lane_sum(sum[i * k + c]) : 0.0) + v[k * d + c];
      for (PetscInt j = d8; j < d; ++j) s += x[i * d + j] * v[c * d + j];
      u[i * k + c] = s;
    }
  return pf;
}

// out_W[c0 + c][j, j + 8 JC) += sum_i r[i][c0 + c] x_i[j, j + 8 JC) for TC classes:
// the lanes run along the row, each r broadcast.
template <int TC, int JC>
MSOPT_AVX512 Prefetch outer_tile(const double* x, PetscInt d, PetscInt rows, const double* r, int c0, int k,
                                 double* out, PetscInt j, Prefetch pf) {
  Lanes acc[TC][JC];
  MSOPT_UNROLL for (int c = 0; c < TC; ++c)
    MSOPT_UNROLL for (int q = 0; q < JC; ++q) acc[c][q] = load(out + (c0 + c) * d + j + 8 * q);
  for (PetscInt i = 0; i < rows; ++i) {
    pf.step();
    Lanes xi[JC];
    MSOPT_UNROLL for (int q = 0; q < JC; ++q) xi[q] = load(x + i * d + j + 8 * q);
    MSOPT_UNROLL for (int c = 0; c < TC; ++c) {
      const double s = r[i * k + c0 + c];
      MSOPT_UNROLL for (int q = 0; q < JC; ++q) acc[c][q] += s * xi[q];
    }
  }
  MSOPT_UNROLL for (int c = 0; c < TC; ++c)
    MSOPT_UNROLL for (int q = 0; q < JC; ++q) store(out + (c0 + c) * d + j + 8 * q, acc[c][q]);
  return pf;
}

// Tiles of 5 classes by 8 JC columns (20 accumulators for JC = 4: per row 4
// loads of x and 5 broadcasts of r, against 2 and 10 for 10 classes by 16
// columns, which took 4-7 % longer in cache), then the rest.
template <int JC>
MSOPT_AVX512 Prefetch outer_columns(const double* x, PetscInt d, PetscInt rows, const double* r, int k, double* out,
                                    PetscInt j, Prefetch pf) {
  return over_class_tiles(k, pf, [&](auto tc, int c0, Prefetch p) MSOPT_AVX512 {
    return outer_tile<decltype(tc)::value, JC>(x, d, rows, r, c0, k, out, j, p);
  });
}

}  // namespace

// One H v on Fashion-MNIST (60000 x 784, 10 classes, 1 rank, AVX-512 Xeon)
// takes 40-43 ms from memory and 30-33 on rows in cache; reading X alone takes
// 20-24. Tried without gain from memory: both products over 32 or 48 rows
// after first products of 8 or 16 (27.5-29 ms in cache, 42-45 from memory),
// prefetch leads of 640 to 2352 lines, prefetch into L1 or L3 instead of L2,
// prefetch in one of the two products only (46-53 ms), every other line (60 ms),
// and the first product of one block of 16-48 rows interleaved, 4 rows at a
// time, with the product back of the previous block, the prefetch 392-1568
// lines ahead (57-60 ms against 48 for this kernel in the same, slower, hour).
// On Zen 5, logits chunks of 104 to 784 columns were equal within noise.
MSOPT_AVX512 void add_softmax_hessian_vector_fused(const SoftmaxRows& t, const double* v, double* out,
                                                   double* workspace) {
  const int k = t.classes;
  double* u = workspace;
  const std::uintptr_t sums = reinterpret_cast<std::uintptr_t>(workspace + kSoftmaxFusedBlockRows * k);
  Lanes* sum = reinterpret_cast<Lanes*>((sums + 63) & ~std::uintptr_t{63});
  const PetscInt d = t.dim, d8 = d & ~PetscInt{7}, d16 = d & ~PetscInt{15}, d32 = d & ~PetscInt{31};
  const std::uintptr_t table_end = reinterpret_cast<std::uintptr_t>(t.x + t.rows * d);
  for (PetscInt start = 0; start < t.rows; start += kSoftmaxFusedBlockRows) {
    const PetscInt rows = std::min(kSoftmaxFusedBlockRows, t.rows - start);
    const double* x = t.x + start * d;
    Prefetch pf{reinterpret_cast<std::uintptr_t>(x + kSoftmaxFusedPrefetchLeadRows * d), table_end};
    pf = block_logits(x, rows, d, v, k, u, sum, pf);
    logits_to_residuals(u, t.probabilities + start * k, rows, k, out + k * d);
    PetscInt j = 0;
    for (; j < d32; j += 32) pf = outer_columns<4>(x, d, rows, u, k, out, j, pf);
    if (j < d16) {
      pf = outer_columns<2>(x, d, rows, u, k, out, j, pf);
      j += 16;
    }
    if (j < d8) pf = outer_columns<1>(x, d, rows, u, k, out, j, pf);
    for (j = d8; j < d; ++j)
      for (int c = 0; c < k; ++c) {
        double s = 0;
        for (PetscInt r = 0; r < rows; ++r) s += u[r * k + c] * x[r * d + j];
        out[c * d + j] += s;
      }
  }
}

#else

bool softmax_fused_kernel_available() { return false; }

void add_softmax_hessian_vector_fused(const SoftmaxRows& t, const double* v, double* out, double* u) {
  add_softmax_hessian_vector_blas(t, v, out, u);  // never called: softmax_fused_kernel_available() is false
}

#endif

}  // namespace msopt
