// Helpers of the MGDL tests: small datasets and an independent network
// evaluation by plain loops (one sample at a time, no BLAS).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "msopt/core/rng.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/activation.hpp"

namespace msopt::testing {

// n samples in [0, 1]^d split over comm, y = sum_k sin(3 (k + 1) x_k); row i depends on (seed, i) only.
inline Dataset smooth_dataset(MPI_Comm comm, PetscInt n, PetscInt d, std::uint64_t seed = 5) {
  Dataset data;
  data.comm = comm;
  data.n_global = n;
  data.dim = d;
  data.rows = split_rows(n, comm);
  data.X.resize(static_cast<size_t>(data.rows.count) * d);
  data.y.resize(data.rows.count);
  const CounterRng rng(seed);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const auto global = static_cast<std::uint64_t>(data.rows.begin + i);
    double y = 0;
    for (PetscInt k = 0; k < d; ++k) {
      const double x = rng.uniform2(0, global, static_cast<std::uint32_t>(k))[0];
      data.X[i * d + k] = x;
      y += std::sin(3.0 * (k + 1) * x);
    }
    data.y[i] = y;
  }
  return data;
}

inline double naive_activation(Activation act, double z) {
  if (act == Activation::relu) return z > 0 ? z : 0;
  if (act == Activation::tanh) return std::tanh(z);
  if (act == Activation::sigmoid) return 1 / (1 + std::exp(-z));
  return std::log1p(std::exp(z));
}

// The network of `widths` (Mlp layout: W_l row-major out x in, then b_l) at
// one input: returns f(x); *hidden gets the last hidden layer's activations.
inline double naive_network(const std::vector<PetscInt>& widths, const double* theta, const double* x, Activation act,
                            std::vector<double>* hidden = nullptr) {
  std::vector<double> a(x, x + widths[0]);
  size_t offset = 0;
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    const PetscInt in = widths[l], out = widths[l + 1];
    const double* W = theta + offset;
    const double* b = W + out * in;
    std::vector<double> z(out);
    for (PetscInt j = 0; j < out; ++j) {
      double sum = b[j];
      for (PetscInt k = 0; k < in; ++k) sum += W[j * in + k] * a[k];
      z[j] = l + 2 < widths.size() ? naive_activation(act, sum) : sum;
    }
    if (l + 2 == widths.size() && hidden) *hidden = a;
    a = z;
    offset += static_cast<size_t>(out) * (in + 1);
  }
  return a[0];
}

}  // namespace msopt::testing
