#include "msopt/mgdl/multi_grade.hpp"

#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

namespace {

std::unique_ptr<Dataset> copy_rows(const Dataset& data) { return std::make_unique<Dataset>(data); }

// The next grade's data: X = H_l(theta; X_l) (features), y = e_l - g_l(theta; X_l) (residual).
std::unique_ptr<Dataset> next_grade_data(Mlp& network, const std::vector<double>& theta, const Dataset& data,
                                         PetscInt feature_width) {
  auto next = std::make_unique<Dataset>();
  next->comm = data.comm;
  next->n_global = data.n_global;
  next->dim = feature_width;
  next->rows = data.rows;
  next->X.resize(static_cast<size_t>(data.rows.count) * feature_width);
  next->y.resize(data.rows.count);
  if (data.rows.count > 0) {
    network.hidden_features(theta.data(), data.X.data(), data.rows.count, next->X.data());
    network.predict(theta.data(), data.X.data(), data.rows.count, next->y.data());
  }
  for (PetscInt i = 0; i < data.rows.count; ++i) next->y[i] = data.y[i] - next->y[i];  // e_{l+1} = e_l - g_l
  return next;
}

}  // namespace

MultiGrade::MultiGrade(const Dataset& train, const Dataset* validation, std::vector<GradeWidths> grades,
                       Activation activation)
    : grades_(std::move(grades)), activation_(activation) {
  require(!grades_.empty(), "MultiGrade: no grades");
  check_grade_input(grades_, train.dim);
  if (validation)
    require(validation->dim == train.dim, "the validation data have dimension " + std::to_string(validation->dim) +
                                              ", the training data " + std::to_string(train.dim));
  train_.push_back(copy_rows(train));
  if (validation) validation_.push_back(copy_rows(*validation));
  networks_.push_back(std::make_unique<Mlp>(*train_.back(), grades_[0], std::vector<Activation>{activation_},
                                            MlpLoss::least_squares));
}

Mlp& MultiGrade::current() {
  require(finished() < num_grades(), "MultiGrade: every grade is finished");
  return *networks_.back();
}

double MultiGrade::validation_loss(const std::vector<double>& theta) {
  const Dataset* v = current_validation();
  if (!v) return NAN;
  buffer_.resize(v->rows.count);
  if (v->rows.count > 0) current().predict(theta.data(), v->X.data(), v->rows.count, buffer_.data());
  double sum = 0;
  for (PetscInt i = 0; i < v->rows.count; ++i) {
    const double r = buffer_[i] - v->y[i];
    sum += 0.5 * r * r;
  }
  double total = 0;
  MSOPT_MPI(MPI_Allreduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, v->comm));
  return total / static_cast<double>(v->n_global);
}

void MultiGrade::finish_grade(std::vector<double> theta) {
  Mlp& network = current();
  require(static_cast<PetscInt>(theta.size()) == network.dim(), "MultiGrade: grade parameters have the wrong length");
  parameters_.push_back(std::move(theta));
  const PetscInt l = finished() - 1;
  if (finished() == num_grades()) return;
  const PetscInt width = grades_[l][grades_[l].size() - 2];
  train_.push_back(next_grade_data(network, parameters_.back(), *train_[l], width));
  if (!validation_.empty()) validation_.push_back(next_grade_data(network, parameters_.back(), *validation_[l], width));
  networks_.push_back(std::make_unique<Mlp>(*train_.back(), grades_[l + 1], std::vector<Activation>{activation_},
                                            MlpLoss::least_squares));
}

void MultiGrade::predict(const double* x_rows, PetscInt rows, double* out) {
  std::vector<double> features(x_rows, x_rows + static_cast<size_t>(rows) * grades_[0][0]), next, g(rows);
  std::fill(out, out + rows, 0.0);
  for (PetscInt l = 0; l < finished(); ++l) {
    if (rows == 0) break;
    networks_[l]->predict(parameters_[l].data(), features.data(), rows, g.data());
    for (PetscInt i = 0; i < rows; ++i) out[i] += g[i];  // gbar = sum_l g_l
    if (l + 1 < finished()) {
      next.resize(static_cast<size_t>(rows) * grades_[l + 1][0]);
      networks_[l]->hidden_features(parameters_[l].data(), features.data(), rows, next.data());
      features.swap(next);
    }
  }
}

}  // namespace msopt
