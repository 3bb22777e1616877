// Synthetic multiscale data of Assumption 2.1 (MrGD paper, eq. 1-2):
// x_i = U (eps_0 z^0, eps_1 z^1, ..., eps_m z^m) + xbar, with z^k in R^{d_k}
// standard normal or uniform with unit variance.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/data/dataset.hpp"

namespace msopt {

struct MultiscaleSpec {
  PetscInt n = 10000;
  std::vector<PetscInt> dims{80, 20};
  std::vector<double> scales{1.0, 0.0316227766016838};
  std::string distribution = "normal";  // normal | uniform
  bool rotate = false;                  // random orthogonal U
  double shift = 0.0;                   // xbar ~ shift * N(0, I)
  std::string target = "noise";         // noise: g ~ N(0,1); teacher: x.w* + noise; labels: argmax_k x.w*_k
  int classes = 10;                     // labels
  double noise = 0.1;                   // teacher noise level
  std::uint64_t seed = 1;

  PetscInt dim() const;
  static MultiscaleSpec from_options(Options& options);
};

// Collective. Row i depends only on (spec, i), not on the number of ranks.
Dataset generate_multiscale(const MultiscaleSpec& spec, MPI_Comm comm);

}  // namespace msopt
