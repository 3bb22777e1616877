// The linear-regression quadratic of the MrGD paper (eq. 12, Appendix E):
//   L(w) = 1/2 w^T A w - b^T w,  A = X^T X / N,  b = (2/N) sum_i y_i x_i,
// so grad L(w) = A w - b and H = A. The data are read in one pass per
// evaluation: the residuals of four rows are formed and accumulated into the
// gradient while the rows are in cache.
#pragma once
#include "msopt/core/huge_page_allocator.hpp"
#include "msopt/core/timed_choice.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

class QuadraticLeastSquares : public Objective {
 public:
  // Collective (computes b and ||b|| once).
  explicit QuadraticLeastSquares(const Dataset& data);

  PetscInt dim() const override { return data_.dim; }
  MPI_Comm comm() const override { return data_.comm; }
  void local_value_and_gradient(const double* w, double* partial) override;
  // H = A whatever w is.
  void local_hessian_vector(const double* w, const double* v, double* partial) override;
  double local_hessian_vector_flops() const override { return 4.0 * data_.rows.count * data_.dim; }

  const std::vector<double>& rhs() const { return b_; }
  double rhs_norm() const { return b_norm_; }
  const Dataset& data() const { return data_; }
  // Whether the next pass over X requests its lines ahead of use (software
  // prefetch), and the best times of the first passes with and without it.
  const TimedChoice& prefetch() const { return prefetch_; }
  // Fixes that choice (the passes give the same bits either way).
  void set_prefetch(bool on) { prefetch_.settle(on); }

 private:
  // partial = (1/N) X^T (X w - c y); *value = (1/N) sum (t^2/2 - c y t), t = X w,
  // with or without software prefetch as prefetch_ says (timed).
  void accumulate(const double* w, double c, double* partial, double* value);
  // The pass itself; ahead > 0: each row's lines requested `ahead` doubles on.
  void accumulate_rows(const double* w, double c, double* partial, double* value, std::ptrdiff_t ahead);

  const Dataset& data_;
  std::vector<double> b_;
  double b_norm_ = 0;
  // Cache-line aligned copies of w and of the sum accumulate forms: the
  // caller's arrays may start anywhere, and a misaligned AVX-512 load or store
  // spans two cache lines.
  HugePageVector direction_, sum_;
  // With or without software prefetch (second way: with), decided by timing
  // the first passes where X is too large for the caches.
  TimedChoice prefetch_;
};

}  // namespace msopt
