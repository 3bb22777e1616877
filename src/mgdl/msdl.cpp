#include "msopt/mgdl/msdl.hpp"

#include <algorithm>

#include "msopt/core/error.hpp"
#include "msopt/mgdl/initialisation.hpp"

namespace msopt {

std::vector<PetscInt> Msdl::wide_widths(const std::vector<PetscInt>& widths, size_t count) {
  require(widths.size() >= 3 && widths.back() == 1,
          "MSDL: a sub-network needs at least one hidden layer and one output, got " + std::to_string(widths.size()) +
              " widths");
  std::vector<PetscInt> wide = widths;
  for (size_t l = 1; l + 1 < wide.size(); ++l) wide[l] *= static_cast<PetscInt>(count);
  return wide;
}

Msdl::Msdl(const Dataset& data, std::vector<PetscInt> widths, std::vector<double> scales, Activation activation)
    : widths_(widths),
      scales_((require(!scales.empty(), "MSDL: no scales given"), std::move(scales))),
      sub_dim_(grade_parameter_count(widths)),
      sub_(data, widths, {activation}, MlpLoss::least_squares),
      wide_(data, wide_widths(widths, scales_.size()), {activation}, MlpLoss::least_squares) {
  for (double a : scales_) require(a > 0, "MSDL: every scale must be positive");
  wide_theta_.resize(wide_.dim());
  wide_v_.resize(wide_.dim());
  wide_out_.resize(wide_.dim() + 1);
}

// wide = P theta: block s of every layer from sub-network s, its first layer times a_s.
void Msdl::expand(const double* theta, double* wide) const {
  std::fill(wide, wide + wide_.dim(), 0.0);
  const PetscInt S = static_cast<PetscInt>(scales_.size()), layers = sub_.num_layers();
  for (PetscInt s = 0; s < S; ++s) {
    const double* t = theta + s * sub_dim_;
    for (PetscInt l = 0; l < layers; ++l) {
      const PetscInt in = widths_[l], out = widths_[l + 1];
      const bool first = l == 0, last = l + 1 == layers;
      const PetscInt wide_in = wide_.widths()[l];
      const PetscInt row0 = last ? 0 : s * out, col0 = first ? 0 : s * in;
      const double factor = first ? scales_[s] : 1.0;
      const double* W = t + sub_.layer_offset(l);
      double* V = wide + wide_.layer_offset(l);
      for (PetscInt j = 0; j < out; ++j)
        for (PetscInt k = 0; k < in; ++k) V[(row0 + j) * wide_in + col0 + k] = factor * W[j * in + k];
      const double* b = t + sub_.bias_offset(l);
      double* c = wide + wide_.bias_offset(l);
      for (PetscInt j = 0; j < out; ++j) c[row0 + j] += b[j];  // the output biases add up
    }
  }
}

// theta = P^T wide.
void Msdl::reduce(const double* wide, double* theta) const {
  const PetscInt S = static_cast<PetscInt>(scales_.size()), layers = sub_.num_layers();
  for (PetscInt s = 0; s < S; ++s) {
    double* t = theta + s * sub_dim_;
    for (PetscInt l = 0; l < layers; ++l) {
      const PetscInt in = widths_[l], out = widths_[l + 1];
      const bool first = l == 0, last = l + 1 == layers;
      const PetscInt wide_in = wide_.widths()[l];
      const PetscInt row0 = last ? 0 : s * out, col0 = first ? 0 : s * in;
      const double factor = first ? scales_[s] : 1.0;
      const double* V = wide + wide_.layer_offset(l);
      double* W = t + sub_.layer_offset(l);
      for (PetscInt j = 0; j < out; ++j)
        for (PetscInt k = 0; k < in; ++k) W[j * in + k] = factor * V[(row0 + j) * wide_in + col0 + k];
      const double* c = wide + wide_.bias_offset(l);
      double* b = t + sub_.bias_offset(l);
      for (PetscInt j = 0; j < out; ++j) b[j] = c[row0 + j];
    }
  }
}

void Msdl::local_value_and_gradient(const double* theta, double* partial) {
  expand(theta, wide_theta_.data());
  wide_.local_value_and_gradient(wide_theta_.data(), wide_out_.data());
  reduce(wide_out_.data(), partial);
  partial[dim()] = wide_out_[wide_.dim()];
}

void Msdl::local_hessian_vector(const double* theta, const double* v, double* partial) {
  expand(theta, wide_theta_.data());
  expand(v, wide_v_.data());
  wide_.local_hessian_vector(wide_theta_.data(), wide_v_.data(), wide_out_.data());
  reduce(wide_out_.data(), partial);
}

void Msdl::predict(const double* theta, const double* x_rows, PetscInt rows, double* out) {
  expand(theta, wide_theta_.data());
  wide_.predict(wide_theta_.data(), x_rows, rows, out);
}

std::vector<double> Msdl::initial_parameters(std::uint64_t seed, const std::string& scheme) const {
  std::vector<double> theta;
  for (size_t s = 0; s < scales_.size(); ++s) {
    auto sub = network_initial_parameters(sub_, seed + s, scheme);
    theta.insert(theta.end(), sub.begin(), sub.end());
  }
  return theta;
}

}  // namespace msopt
