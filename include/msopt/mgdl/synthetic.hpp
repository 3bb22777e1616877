// Synthetic regression data of the MGDL paper, Section 5, eq. (5):
//   g(x) = sum_{j=1}^{M} sin(2 pi kappa_j x + phi_j),  x in [0, 1],
// phi_j ~ U(0, 2 pi). Setting 1: kappa = [1, 5, 10] (the paper prints M = 3
// with "kappa = [1, 5, 5, 10]"; we read the repeated 5 as a typo and keep
// M = 3 distinct frequencies; -data_kappa overrides). Setting 2: M = 5,
// kappa = [1, 8.25, 15.5, 22.75, 30]. Training: N equally spaced points
// x_i = i / (N - 1) (the paper: 1024); validation: N uniform points (1000).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/data/dataset.hpp"

namespace msopt {

struct SyntheticSpec {
  int setting = 1;
  std::vector<double> kappa;            // frequencies (empty: the setting's)
  PetscInt n = 1024;
  std::string sampling = "grid";        // grid: x_i = i/(N-1); uniform: x_i ~ U(0, 1)
  std::uint64_t seed = 1;               // uniform sampling: x_i depends on (seed, i) only
  std::uint64_t phase_seed = 1;         // the phases phi_j: the same target for training and validation

  // The frequencies in use: kappa if given, else the setting's.
  std::vector<double> frequencies() const;
  // phi_j ~ U(0, 2 pi), j = 0..M-1, from (phase_seed, j) only.
  std::vector<double> phases() const;
  static SyntheticSpec from_options(Options& options);
};

// g(x) of eq. (5) for the given frequencies and phases.
double synthetic_target(double x, const std::vector<double>& kappa, const std::vector<double>& phases);

// Collective: N samples of d = 1 split over the ranks; row i depends only on (spec, i).
Dataset generate_synthetic(const SyntheticSpec& spec, MPI_Comm comm);

}  // namespace msopt
