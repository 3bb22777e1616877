#include "msopt/models/softmax_regression.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/models/softmax_hessian_kernels.hpp"

namespace msopt {

namespace {

// The first local row whose label is not an integer in [0, classes), or -1.
PetscInt first_bad_label(const Dataset& data, double classes) {
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const double y = data.y[i];
    if (!(std::isfinite(y) && y >= 0 && y < classes && y == std::floor(y))) return i;
  }
  return -1;
}

}  // namespace

SoftmaxRegression::SoftmaxRegression(const Dataset& data, int classes, double l2, PetscInt block_rows)
    : data_(data), classes_(classes), l2_(l2), block_rows_(block_rows) {
  require(classes >= 2, "softmax regression: the number of classes must be at least 2");
  require(l2 >= 0 && std::isfinite(l2), "softmax regression: the l2 weight must be finite and non-negative");
  require(block_rows >= 1, "softmax regression: block_rows must be positive");
  require(data.n_global >= 1 && data.dim >= 1, "softmax regression: the dataset is empty");
  MSOPT_MPI(MPI_Comm_rank(data.comm, &rank_));
  const bool y_sized = static_cast<PetscInt>(data.y.size()) == data.rows.count;
  const PetscInt bad = y_sized ? first_bad_label(data, classes) : -1;
  std::ostringstream message;
  if (!y_sized) {
    message << "softmax regression: the dataset has " << data.y.size() << " labels for " << data.rows.count
            << " local rows";
  } else if (bad >= 0) {
    message << "softmax regression: label " << data.y[bad] << " of row " << data.rows.begin + bad
            << " is not a class index in 0.." << classes - 1;
  }
  check_all(data.comm, y_sized && bad < 0, message.str());

  labels_.resize(data.rows.count);
  for (PetscInt i = 0; i < data.rows.count; ++i) labels_[i] = static_cast<PetscInt>(data.y[i]);
  z_.resize(static_cast<size_t>(std::max(classes_ * std::min(block_rows_, std::max<PetscInt>(data.rows.count, 1)),
                                          softmax_hessian_workspace_size(classes_))));
  probabilities_.resize(static_cast<size_t>(classes_) * data.rows.count);
  probability_point_.resize(static_cast<size_t>(dim()));
  direction_.resize(static_cast<size_t>(dim()));
  hessian_vector_.resize(static_cast<size_t>(dim()));
}

double SoftmaxRegression::local_hessian_vector_flops() const {
  const double n = static_cast<double>(data_.rows.count), k = classes_, d = static_cast<double>(data_.dim);
  // dgemm for u = V x + c (2nkd), dgemm for R^T X (2nkd), r (~6nk), l2 term on rank 0; the
  // probabilities at the point are computed once per point, not per product.
  return 4.0 * n * k * d + 6.0 * n * k + (rank_ == 0 && l2_ > 0 ? 2.0 * k * d : 0.0);
}

void SoftmaxRegression::logits(const double* theta, PetscInt start, PetscBLASInt rows) {
  softmax_logits(theta, data_.row(start), rows, data_.dim, classes_, z_.data());
}

const double* SoftmaxRegression::probabilities(const double* theta) {
  const PetscInt k = classes_, p = dim();
  if (probabilities_valid_ && std::equal(theta, theta + p, probability_point_.begin())) return probabilities_.data();
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    logits(theta, start, rows);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double* z = z_.data() + static_cast<size_t>(i) * k;
      double* prob = probabilities_.data() + static_cast<size_t>(start + i) * k;
      const double top = *std::max_element(z, z + k);
      double sum = 0;
      for (PetscInt c = 0; c < k; ++c) sum += (prob[c] = std::exp(z[c] - top));
      for (PetscInt c = 0; c < k; ++c) prob[c] /= sum;
    }
  }
  std::copy(theta, theta + p, probability_point_.begin());
  probabilities_valid_ = true;
  return probabilities_.data();
}

void SoftmaxRegression::local_value_and_gradient(const double* theta, double* partial) {
  const PetscInt k = classes_, d = data_.dim;
  const PetscBLASInt bk = static_cast<PetscBLASInt>(k), bd = static_cast<PetscBLASInt>(d);
  const double inv_n = 1.0 / static_cast<double>(data_.n_global), done = 1.0;
  std::fill(partial, partial + dim() + 1, 0.0);
  double* grad_b = partial + k * d;
  double value = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    logits(theta, start, rows);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      double* z = z_.data() + static_cast<size_t>(i) * k;
      const PetscInt label = labels_[start + i];
      const double top = *std::max_element(z, z + k), z_label = z[label];
      double sum = 0;
      for (PetscInt c = 0; c < k; ++c) sum += (z[c] = std::exp(z[c] - top));
      value += top + std::log(sum) - z_label;  // -log softmax(z)_label
      const double inv_sum = 1.0 / sum;
      for (PetscInt c = 0; c < k; ++c) z[c] *= inv_sum;  // p_i
      z[label] -= 1.0;                                   // p_i - e_{y_i}
      for (PetscInt c = 0; c < k; ++c) grad_b[c] += z[c];
    }
    // Column-major: grad_W^T (d x k) += X_b^T (d x rows) (P - Y) (rows x k) / N.
    BLASgemm_("N", "T", &bd, &bk, &rows, &inv_n, data_.row(start), &bd, z_.data(), &bk, &done, partial, &bd);
  }
  for (PetscInt c = 0; c < k; ++c) grad_b[c] *= inv_n;
  value *= inv_n;
  if (rank_ == 0 && l2_ > 0) {  // the regulariser counted once, by rank 0
    double norm2 = 0;
    for (PetscInt j = 0; j < k * d; ++j) {
      norm2 += theta[j] * theta[j];
      partial[j] += l2_ * theta[j];
    }
    value += 0.5 * l2_ * norm2;
  }
  partial[dim()] = value;
}

void SoftmaxRegression::local_hessian_vector(const double* theta, const double* v_in, double* partial_out) {
  const PetscInt k = classes_, d = data_.dim;
  const double inv_n = 1.0 / static_cast<double>(data_.n_global);
  const SoftmaxRows table{data_.X.data(), probabilities(theta), data_.rows.count, d, classes_};
  std::copy(v_in, v_in + dim(), direction_.begin());
  std::fill(hessian_vector_.begin(), hessian_vector_.end(), 0.0);
  const double* v = direction_.data();
  if (fused_kernel_)
    add_softmax_hessian_vector_fused(table, v, hessian_vector_.data(), z_.data());
  else
    add_softmax_hessian_vector_blas(table, v, hessian_vector_.data(), z_.data());
  const double l2 = rank_ == 0 ? l2_ : 0.0;  // the regulariser counted once, by rank 0
  for (PetscInt j = 0; j < k * d; ++j) partial_out[j] = inv_n * hessian_vector_[j] + l2 * v[j];
  for (PetscInt j = k * d; j < dim(); ++j) partial_out[j] = inv_n * hessian_vector_[j];
}

void SoftmaxRegression::predict(const double* theta, PetscInt* labels) {
  const PetscInt k = classes_;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    logits(theta, start, rows);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double* z = z_.data() + static_cast<size_t>(i) * k;
      labels[start + i] = static_cast<PetscInt>(std::max_element(z, z + k) - z);
    }
  }
}

double SoftmaxRegression::accuracy(const double* theta) {
  const PetscInt k = classes_;
  double correct = 0, total = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    logits(theta, start, rows);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double* z = z_.data() + static_cast<size_t>(i) * k;
      if (std::max_element(z, z + k) - z == labels_[start + i]) correct += 1;
    }
  }
  MSOPT_MPI(MPI_Allreduce(&correct, &total, 1, MPI_DOUBLE, MPI_SUM, data_.comm));
  return total / static_cast<double>(data_.n_global);
}

std::vector<double> SoftmaxRegression::class_block_hessian(const double* theta, int c) {
  require(c >= 0 && c < classes_, "softmax: class " + std::to_string(c) + " is out of range");
  const PetscInt k = classes_, d = data_.dim, n1 = d + 1;
  const double inv_n = 1.0 / static_cast<double>(data_.n_global), one = 1.0;
  std::vector<double> local(static_cast<size_t>(n1) * n1, 0.0), total(local.size());
  std::vector<double> scaled(static_cast<size_t>(block_rows_) * n1);  // column-major n1 x rows: sqrt(w_i) x~_i
  const PetscBLASInt bn = static_cast<PetscBLASInt>(n1);
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscBLASInt rows = static_cast<PetscBLASInt>(std::min(block_rows_, data_.rows.count - start));
    logits(theta, start, rows);
    for (PetscBLASInt i = 0; i < rows; ++i) {
      const double* z = z_.data() + static_cast<size_t>(i) * k;
      const double top = *std::max_element(z, z + k);
      double sum = 0;
      for (PetscInt l = 0; l < k; ++l) sum += std::exp(z[l] - top);
      const double p = std::exp(z[c] - top) / sum, s = std::sqrt(p * (1 - p) * inv_n);
      const double* x = data_.row(start + i);
      double* col = scaled.data() + static_cast<size_t>(i) * n1;
      for (PetscInt j = 0; j < d; ++j) col[j] = s * x[j];
      col[d] = s;
    }
    BLASsyrk_("U", "N", &bn, &rows, &one, scaled.data(), &bn, &one, local.data(), &bn);
  }
  MSOPT_MPI(MPI_Allreduce(local.data(), total.data(), static_cast<int>(total.size()), MPI_DOUBLE, MPI_SUM, data_.comm));
  // dsyrk filled the upper triangle of the column-major matrix: mirror it.
  for (PetscInt j = 0; j < n1; ++j)
    for (PetscInt i = j + 1; i < n1; ++i) total[j * n1 + i] = total[i * n1 + j];
  for (PetscInt j = 0; j < d; ++j) total[j * n1 + j] += l2_;
  return total;
}

}  // namespace msopt
