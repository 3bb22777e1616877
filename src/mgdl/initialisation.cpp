#include "msopt/mgdl/initialisation.hpp"

#include <cmath>

#include "msopt/core/rng.hpp"

namespace msopt {

namespace {

constexpr std::uint32_t kWeights = 0x4d474400u, kBiases = 0x4d474480u;  // "MGD"

}  // namespace

std::vector<double> network_initial_parameters(const Mlp& net, std::uint64_t seed, const std::string& scheme) {
  if (scheme != "torch") return net.initial_parameters(seed, scheme);
  const CounterRng rng(seed);
  std::vector<double> theta(static_cast<size_t>(net.dim()));
  for (PetscInt l = 0; l < net.num_layers(); ++l) {
    const PetscInt in = net.widths()[l], out = net.widths()[l + 1];
    const double bound = 1.0 / std::sqrt(static_cast<double>(in));
    const auto layer = static_cast<std::uint32_t>(l);
    for (PetscInt j = 0; j < out; ++j) {
      for (PetscInt k = 0; k < in; ++k) {
        const double u = rng.uniform2(kWeights + layer, static_cast<std::uint64_t>(j), static_cast<std::uint32_t>(k / 2))[k % 2];
        theta[net.layer_offset(l) + j * in + k] = bound * (2 * u - 1);
      }
      const double u = rng.uniform2(kBiases + layer, static_cast<std::uint64_t>(j), 0)[0];
      theta[net.bias_offset(l) + j] = bound * (2 * u - 1);
    }
  }
  return theta;
}

}  // namespace msopt
