// The softmax regression Hessian applied to a direction v, summed over the
// rows of a table (SoftmaxRegression's H v before the 1/N and the l2 term):
//   out += sum_i x~_i x~_i^T (x) (diag(p_i) - p_i p_i^T) v,   x~_i = (x_i, 1),
// in SoftmaxRegression's parameter layout (W: classes x dim row-major, then
// the bias). Per row: the direction's logits u_i = V x_i + c, then
// r_i = p_i * (u_i - p_i . u_i), then out_W += r_i x_i^T and out_b += r_i.
//
// Two implementations, equal up to rounding:
// - blas: per block of rows, one dgemm for the logits and one back (OpenBLAS).
// - fused (AVX-512 only): one pass over the rows in blocks of 32, both
//   products in register tiles, while the rows ahead are prefetched into L2
//   a cache line per inner step. X's read from memory then overlaps the
//   arithmetic, which OpenBLAS's two calls do not allow: on Fashion-MNIST
//   (60000 x 784, 10 classes) one H v takes 42-44 ms against 53-54 with blas
//   on an AVX-512 Xeon (bench_softmax_spectrum). Built for AVX-512 only:
//   compiled for AVX2, its 8-wide vectors split and spill and it ran 20x
//   slower than blas, so CPUs without AVX-512 keep blas.
#pragma once
#include <petscsys.h>

namespace msopt {

struct SoftmaxRows {
  const double* x;              // rows x dim, row-major
  const double* probabilities;  // rows x classes, row-major: p_i
  PetscInt rows = 0;
  PetscInt dim = 0;
  int classes = 0;
};

// z (rows x classes, row-major) = X_b W^T + b for theta in the parameter
// layout, X_b the rows x dim block at x: one dgemm. With a direction v in
// place of theta, its logits u_i = V x_i + c.
void softmax_logits(const double* theta, const double* x, PetscInt rows, PetscInt dim, int classes, double* z);

// Doubles of workspace either kernel needs: the logits of one block of rows.
PetscInt softmax_hessian_workspace_size(int classes);

void add_softmax_hessian_vector_blas(const SoftmaxRows& table, const double* v, double* out, double* workspace);

// Rows per block of the fused kernel: 32 rows (200 kB for d = 784) stay in
// L2 between its two products, and the product back loads and stores its
// accumulators once per 32 rows. On Fashion-MNIST (AVX-512 Xeon, model 167;
// two kernels alternated in one process, 13 pairs, medians of the time
// ratios) tiles of 5 classes by 32 columns for the product back took 0-4 %
// less time per H v from memory and 4-7 % less in cache than tiles of 10 by 16
// (blocks of 16); with them, blocks of 24, 32 or 40 rows took 5-7 % less from
// memory and 10-14 % less in cache than the earlier kernel, 48 and 64 rows
// gained in cache only. On Zen 5 (1 MB L2, the earlier tiles) blocks of 8 to
// 64 rows were equal within the VM's noise.
constexpr PetscInt kSoftmaxFusedBlockRows = 32;

// A block's inner steps prefetch the rows that start this many rows after the
// block's own start (as many lines as the block has): 3/4 of a block ahead.
// On Zen 5 (bench_softmax_spectrum, 11 runs paired with a whole block ahead,
// blocks of 16) one H v took a median 4 % less at 1 rank (9 runs faster) and
// 2.5 % less at 2 ranks (8 faster). On the AVX-512 Xeon with blocks of 32,
// leads of 24 and 32 rows were equal within noise; 16 rows gained less (one
// A/B run of 13 pairs).
constexpr PetscInt kSoftmaxFusedPrefetchLeadRows = 24;

// True when this CPU (and its OS) runs AVX-512F, so that the fused kernel may be called.
bool softmax_fused_kernel_available();
void add_softmax_hessian_vector_fused(const SoftmaxRows& table, const double* v, double* out, double* workspace);

}  // namespace msopt
