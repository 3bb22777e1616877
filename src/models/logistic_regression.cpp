#include "msopt/models/logistic_regression.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/models/activation.hpp"

namespace msopt {

namespace {

// log(1 + exp(a)) without overflow or loss of small values.
inline double softplus(double a) { return std::max(a, 0.0) + std::log1p(std::exp(-std::fabs(a))); }

}  // namespace

LogisticRegression::LogisticRegression(const Dataset& data, double l2, PetscInt block_rows)
    : data_(data), l2_(l2), block_rows_(block_rows) {
  require(l2 >= 0 && std::isfinite(l2), "logistic regression: the l2 weight must be finite and non-negative");
  require(block_rows >= 1, "logistic regression: block_rows must be positive");
  require(data.n_global >= 1 && data.dim >= 1, "logistic regression: the dataset is empty");
  MSOPT_MPI(MPI_Comm_rank(data.comm, &rank_));
  const bool y_sized = static_cast<PetscInt>(data.y.size()) == data.rows.count;
  PetscInt bad = -1;
  for (PetscInt i = 0; y_sized && i < data.rows.count && bad < 0; ++i)
    if (!(data.y[i] == 0.0 || data.y[i] == 1.0)) bad = i;
  std::ostringstream message;
  if (!y_sized) {
    message << "logistic regression: the dataset has " << data.y.size() << " labels for " << data.rows.count
            << " local rows";
  } else if (bad >= 0) {
    message << "logistic regression: label " << data.y[bad] << " of row " << data.rows.begin + bad
            << " is neither 0 nor 1";
  }
  check_all(data.comm, y_sized && bad < 0, message.str());
  t_.resize(static_cast<size_t>(2) * std::min(block_rows_, std::max<PetscInt>(data.rows.count, 1)));
  wv_.resize(static_cast<size_t>(2) * data.dim);
}

double LogisticRegression::local_hessian_vector_flops() const {
  const double n = static_cast<double>(data_.rows.count), d = static_cast<double>(data_.dim);
  // dgemm for [t u] (4nd), dgemv back (2nd), sigmoid and weights (~8n), l2 term on rank 0.
  return 6.0 * n * d + 8.0 * n + (rank_ == 0 && l2_ > 0 ? 2.0 * d : 0.0);
}

void LogisticRegression::local_value_and_gradient(const double* theta, double* partial) {
  const PetscInt d = data_.dim;
  const PetscBLASInt bd = static_cast<PetscBLASInt>(d), one = 1;
  const double inv_n = 1.0 / static_cast<double>(data_.n_global), done = 1.0, dzero = 0.0;
  std::fill(partial, partial + d + 2, 0.0);
  const double bias = theta[d];
  double value = 0, grad_b = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    const double* y = data_.y.data() + start;
    // Column-major: t (rows) = X_b (the d x rows array transposed) w.
    BLASgemv_("T", &bd, &rows, &done, data_.row(start), &bd, theta, &one, &dzero, t_.data(), &one);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double t = t_[i] + bias;
      value += softplus(y[i] > 0.5 ? -t : t);  // log(1 + exp(-s t)), s = 2y - 1
      grad_b += (t_[i] = stable_sigmoid(t) - y[i]);
    }
    BLASgemv_("N", &bd, &rows, &inv_n, data_.row(start), &bd, t_.data(), &one, &done, partial, &one);
  }
  partial[d] = grad_b * inv_n;
  value *= inv_n;
  if (rank_ == 0 && l2_ > 0) {  // the regulariser counted once, by rank 0
    double norm2 = 0;
    for (PetscInt j = 0; j < d; ++j) {
      norm2 += theta[j] * theta[j];
      partial[j] += l2_ * theta[j];
    }
    value += 0.5 * l2_ * norm2;
  }
  partial[d + 1] = value;
}

void LogisticRegression::local_hessian_vector(const double* theta, const double* v, double* partial) {
  const PetscInt d = data_.dim;
  const PetscBLASInt bd = static_cast<PetscBLASInt>(d), one = 1, two = 2;
  const double inv_n = 1.0 / static_cast<double>(data_.n_global), done = 1.0, dzero = 0.0;
  std::fill(partial, partial + d + 1, 0.0);
  std::copy(theta, theta + d, wv_.begin());
  std::copy(v, v + d, wv_.begin() + d);
  const double bias = theta[d], c = v[d];
  double hv_b = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    // Column-major: [t u] (rows x 2) = X_b (the d x rows array transposed) [w v] (d x 2).
    BLASgemm_("T", "N", &rows, &two, &bd, &done, data_.row(start), &bd, wv_.data(), &bd, &dzero, t_.data(), &rows);
    const double* u = t_.data() + rows;
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double t = t_[i] + bias;
      const double p = stable_sigmoid(t), q = stable_sigmoid(-t);  // q = 1 - p without cancellation
      hv_b += (t_[i] = p * q * (u[i] + c));
    }
    BLASgemv_("N", &bd, &rows, &inv_n, data_.row(start), &bd, t_.data(), &one, &done, partial, &one);
  }
  partial[d] = hv_b * inv_n;
  if (rank_ == 0 && l2_ > 0)
    for (PetscInt j = 0; j < d; ++j) partial[j] += l2_ * v[j];
}

void LogisticRegression::predict(const double* theta, PetscInt* labels) {
  const PetscInt d = data_.dim;
  const PetscBLASInt bd = static_cast<PetscBLASInt>(d), one = 1;
  const double done = 1.0, dzero = 0.0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    BLASgemv_("T", &bd, &rows, &done, data_.row(start), &bd, theta, &one, &dzero, t_.data(), &one);
    for (PetscBLASInt i = 0; i < rows; ++i) labels[start + i] = t_[i] + theta[d] > 0 ? 1 : 0;
  }
}

double LogisticRegression::accuracy(const double* theta) {
  const PetscInt d = data_.dim;
  const PetscBLASInt bd = static_cast<PetscBLASInt>(d), one = 1;
  const double done = 1.0, dzero = 0.0;
  double correct = 0, total = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    BLASgemv_("T", &bd, &rows, &done, data_.row(start), &bd, theta, &one, &dzero, t_.data(), &one);
    for (PetscBLASInt i = 0; i < rows; ++i)
      if ((t_[i] + theta[d] > 0 ? 1.0 : 0.0) == data_.y[start + i]) correct += 1;
  }
  MSOPT_MPI(MPI_Allreduce(&correct, &total, 1, MPI_DOUBLE, MPI_SUM, data_.comm));
  return total / static_cast<double>(data_.n_global);
}

}  // namespace msopt
