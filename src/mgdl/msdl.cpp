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

// P as (theta index, wide index, factor) triples: block s of every layer of
// the wide network comes from sub-network s, its first layer times a_s; the
// output biases of all sub-networks map to the one output bias.
template <class Visit>
void Msdl::for_each_entry(Visit visit) const {
  const PetscInt S = static_cast<PetscInt>(scales_.size()), layers = sub_.num_layers();
  for (PetscInt s = 0; s < S; ++s) {
    const PetscInt t = s * sub_dim_;
    for (PetscInt l = 0; l < layers; ++l) {
      const PetscInt in = widths_[l], out = widths_[l + 1];
      const bool first = l == 0, last = l + 1 == layers;
      const PetscInt wide_in = wide_.widths()[l];
      const PetscInt row0 = last ? 0 : s * out, col0 = first ? 0 : s * in;
      const double factor = first ? scales_[s] : 1.0;
      const PetscInt W = t + sub_.layer_offset(l), V = wide_.layer_offset(l);
      for (PetscInt j = 0; j < out; ++j)
        for (PetscInt k = 0; k < in; ++k) visit(W + j * in + k, V + (row0 + j) * wide_in + col0 + k, factor);
      const PetscInt b = t + sub_.bias_offset(l), c = wide_.bias_offset(l);
      for (PetscInt j = 0; j < out; ++j) visit(b + j, c + row0 + j, 1.0);
    }
  }
}

// wide = P theta (the output biases add up).
void Msdl::expand(const double* theta, double* wide) const {
  std::fill(wide, wide + wide_.dim(), 0.0);
  for_each_entry([&](PetscInt i, PetscInt w, double factor) { wide[w] += factor * theta[i]; });
}

// theta = P^T wide.
void Msdl::reduce(const double* wide, double* theta) const {
  for_each_entry([&](PetscInt i, PetscInt w, double factor) { theta[i] = factor * wide[w]; });
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
