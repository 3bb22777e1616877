// Elementwise activation functions of the hidden layers of an Mlp, with the
// first and second derivatives that backpropagation and the R-operator need.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace msopt {

enum class Activation { relu, tanh, sigmoid, softplus };

// 1 / (1 + exp(-z)) without overflow for any z.
inline double stable_sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// "relu", "tanh", "sigmoid", "softplus"; anything else throws msopt::Error
// naming the given text and the valid names.
Activation parse_activation(const std::string& name);
// Every activation's name (the choices of -mlp_activation and -mgdl_activation).
std::vector<std::string> activation_names();
const char* activation_name(Activation act);

// a[i] = sigma(z[i]) for i < n (in place allowed: a == z).
//   relu      max(z, 0)
//   tanh      tanh(z)
//   sigmoid   1 / (1 + exp(-z))       (evaluated without overflow)
//   softplus  log(1 + exp(z))         (evaluated as max(z,0) + log1p(exp(-|z|)))
void apply_activation(Activation act, const double* z, double* a, std::size_t n);

// d1[i] = sigma'(z[i]) and, if d2 != nullptr, d2[i] = sigma''(z[i]), given z
// and a = sigma(z) (both are used to avoid recomputing transcendentals).
// relu: sigma'(z) = 1 for z > 0 and 0 otherwise (the kink gets 0), sigma'' = 0.
void activation_derivatives(Activation act, const double* z, const double* a, double* d1, double* d2, std::size_t n);

// out[i] = sigma'(z[i]) * in[i] for i < n (in place allowed: out == in), the
// same derivative as activation_derivatives in one pass without storing it:
// backpropagation's delta = sigma'(z) (W^T delta) and the R-operator's
// R a = sigma'(z) R z.
void multiply_by_derivative(Activation act, const double* z, const double* a, const double* in, double* out,
                            std::size_t n);

}  // namespace msopt
