// Multinomial logistic (softmax) regression with the cross-entropy loss of
// the MrGD paper, Section 2.1, eq. (3)-(4), for k = `classes` classes:
//   f_j(x) = exp(w_j . x + b_j) / sum_l exp(w_l . x + b_l),
//   L(W, b) = -(1/N) sum_i log f_{y_i}(x_i)  [+ l2/2 ||W||_F^2 if l2 > 0],
// with one-hot labels g(x_i) = e_{y_i}; the bias is not regularised.
//
// Parameter layout (dim() = classes * (d + 1)):
//   theta[c * d + j]       = W[c][j], c < classes, j < d   (W row-major, classes x d)
//   theta[classes * d + c] = b[c]
// Gradients and Hessian-vector products use the same layout.
//
// Each evaluation is one blocked pass over the local rows: a block's logits
// X_b W^T + b come from one dgemm, the softmax is taken stably (row max
// subtracted), and (P - Y)^T X_b / N is accumulated by a second dgemm. The
// Hessian is (1/N) sum_i x~_i x~_i^T (x) (diag(p_i) - p_i p_i^T), x~ = (x, 1),
// applied blocked in the same way. Buffers are sized once.
#pragma once
#include <vector>

#include "msopt/core/huge_page_allocator.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"
#include "msopt/models/softmax_hessian_kernels.hpp"

namespace msopt {

class SoftmaxRegression : public Objective {
 public:
  // Collective: refuses (msopt::Error on every rank) labels y that are not an
  // integer in [0, classes), classes < 2, l2 < 0, block_rows < 1, N = 0.
  SoftmaxRegression(const Dataset& data, int classes, double l2 = 0, PetscInt block_rows = 256);

  PetscInt dim() const override { return static_cast<PetscInt>(classes_) * (data_.dim + 1); }
  MPI_Comm comm() const override { return data_.comm; }
  void local_value_and_gradient(const double* theta, double* partial) override;
  void local_hessian_vector(const double* theta, const double* v, double* partial) override;
  // The probabilities at theta once per point (kept until theta changes), then
  // the fused kernel of softmax_hessian_kernels.hpp on AVX-512 CPUs, its blas
  // one elsewhere.
  double local_hessian_vector_flops() const override;

  // Local: the predicted class (argmax logit, lowest index on ties) of each local row.
  void predict(const double* theta, PetscInt* labels);
  // Collective: the fraction of all N rows whose argmax logit equals the label.
  double accuracy(const double* theta);
  // Collective: the diagonal Hessian block of class c's parameters (w_c, b_c),
  //   (1/N) sum_i p_ic (1 - p_ic) x~_i x~_i^T  (+ l2 on the w_c part),
  // row-major (d+1) x (d+1), the same on every rank (one dsyrk per row block,
  // one reduction). Its indices in theta are c*d + [0, d) and classes*d + c.
  std::vector<double> class_block_hessian(const double* theta, int c);

  int classes() const { return classes_; }
  double l2() const { return l2_; }
  const Dataset& data() const { return data_; }

 private:
  // z = X_b W^T + b for rows [start, start + rows) into z_ (column-major k x
  // rows); with a direction v in place of theta, u = X_b V^T + c.
  void logits(const double* theta, PetscInt start, PetscBLASInt rows);
  // The softmax probabilities of every local row at theta (rows.count x k),
  // recomputed only when theta differs from the last point.
  const double* probabilities(const double* theta);

  const Dataset& data_;
  int classes_;
  double l2_;
  PetscInt block_rows_;
  int rank_ = 0;
  bool fused_kernel_ = softmax_fused_kernel_available();
  std::vector<PetscInt> labels_;  // local labels as integers
  // Cache-line aligned (HugePageVector), as the operands of H v's products:
  // with them one H v took 54-55 ms instead of 56-57 with blas (bench_softmax_spectrum).
  HugePageVector z_;               // k x block_rows: logits, or a direction's logits
  HugePageVector direction_;       // H v's v
  HugePageVector hessian_vector_;  // its sum over the local rows
  std::vector<double> probabilities_;      // rows.count x k at probability_point_
  std::vector<double> probability_point_;  // the theta they belong to
  bool probabilities_valid_ = false;
};

}  // namespace msopt
