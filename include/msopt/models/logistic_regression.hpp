// Binary logistic regression with the cross-entropy loss, labels y in {0, 1}:
//   t_i = w . x_i + b,  s_i = 2 y_i - 1,
//   L(w, b) = (1/N) sum_i log(1 + exp(-s_i t_i))  [+ l2/2 ||w||^2 if l2 > 0],
// computed stably as max(a, 0) + log1p(exp(-|a|)), a = -s_i t_i; the bias is
// not regularised. With p_i = sigma(t_i):
//   grad = (1/N) sum_i (p_i - y_i) x~_i,  H = (1/N) sum_i p_i (1 - p_i) x~_i x~_i^T,
// x~ = (x, 1) (+ l2 on the w block).
//
// Parameter layout (dim() = d + 1): theta[0..d-1] = w, theta[d] = b.
//
// One blocked pass over the local rows per evaluation: margins by dgemv (for
// H v, margins and directional margins together by one dgemm with two
// columns), the result accumulated by dgemv. Buffers are sized once.
#pragma once
#include <vector>

#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

class LogisticRegression : public Objective {
 public:
  // Collective: refuses (msopt::Error on every rank) labels other than 0 and 1,
  // l2 < 0, block_rows < 1, N = 0.
  explicit LogisticRegression(const Dataset& data, double l2 = 0, PetscInt block_rows = 256);

  PetscInt dim() const override { return data_.dim + 1; }
  MPI_Comm comm() const override { return data_.comm; }
  void local_value_and_gradient(const double* theta, double* partial) override;
  void local_hessian_vector(const double* theta, const double* v, double* partial) override;
  double local_hessian_vector_flops() const override;

  // Local: 1 where w . x + b > 0, else 0, for each local row.
  void predict(const double* theta, PetscInt* labels);
  // Collective: the fraction of all N rows whose prediction equals the label.
  double accuracy(const double* theta);

  double l2() const { return l2_; }
  const Dataset& data() const { return data_; }

 private:
  const Dataset& data_;
  double l2_;
  PetscInt block_rows_;
  int rank_ = 0;
  std::vector<double> t_;   // 2 x block_rows (column-major rows x 2): margins, directional margins
  std::vector<double> wv_;  // d x 2: [w v]
};

}  // namespace msopt
