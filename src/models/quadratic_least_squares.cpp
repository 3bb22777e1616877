#include "msopt/models/quadratic_least_squares.hpp"

#include <petscblaslapack.h>

#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

QuadraticLeastSquares::QuadraticLeastSquares(const Dataset& data, PetscInt block_rows)
    : data_(data), block_rows_(block_rows), t_(block_rows), r_(block_rows), b_(data.dim) {
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

void QuadraticLeastSquares::accumulate(const double* w, double c, double* partial, double* value) {
  const PetscBLASInt d = static_cast<PetscBLASInt>(data_.dim), one = 1;
  const double inv_n = 1.0 / static_cast<double>(data_.n_global), done = 1.0, dzero = 0.0;
  double local_value = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    const double* block = data_.row(start);  // row-major rows x d == column-major d x rows
    const double* y = data_.y.data() + start;
    BLASgemv_("T", &d, &rows, &done, block, &d, w, &one, &dzero, t_.data(), &one);  // t = X_b w
    for (PetscBLASInt i = 0; i < rows; ++i) {
      r_[i] = t_[i] - c * y[i];
      local_value += t_[i] * (0.5 * t_[i] - c * y[i]);
    }
    BLASgemv_("N", &d, &rows, &inv_n, block, &d, r_.data(), &one, &done, partial, &one);  // += X_b^T r / N
  }
  if (value) *value = local_value * inv_n;
}

void QuadraticLeastSquares::local_value_and_gradient(const double* w, double* partial) {
  std::fill(partial, partial + data_.dim, 0.0);
  accumulate(w, 2.0, partial, partial + data_.dim);
}

void QuadraticLeastSquares::local_hessian_vector(const double*, const double* v, double* partial) {
  std::fill(partial, partial + data_.dim, 0.0);
  accumulate(v, 0.0, partial, nullptr);
}

}  // namespace msopt
