// What users of the Python Hessian tools (PyHessian, hessian-eigenthings) ask
// for, over the full dataset and distributed: the Hessian restricted to a
// block of parameters, its trace by Hutchinson's estimator, and its
// eigenvalue density by stochastic Lanczos quadrature (SLQ). Probes come from
// the counter-based RNG, so estimates are identical on any number of ranks.
#pragma once
#include <cstdint>
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

// MATSHELL of H(point)[S, S] for the parameter indices S (sorted, distinct):
// a layer, one neuron's incoming weights (Proposition 2.5's blocks), any set.
MatHandle create_restricted_hessian_shell(Objective& objective, const std::vector<double>& point,
                                          const std::vector<PetscInt>& indices);

// tr(H[S,S]) ~ (1/m) sum_k z_k^T H z_k with Rademacher z_k; also its standard error.
struct TraceEstimate {
  double trace = 0, standard_error = 0;
};
TraceEstimate hutchinson_trace(Objective& objective, const std::vector<double>& point,
                               const std::vector<PetscInt>& indices, int probes, std::uint64_t seed);

// SLQ (Ubaru, Chen & Saad 2017): for each of `probes` random unit vectors,
// `steps` Lanczos steps with full reorthogonalisation; the tridiagonal's
// eigenvalues are the nodes, their first-component squares / probes the weights.
struct SpectralDensity {
  std::vector<double> nodes, weights;  // weights sum to 1
  // Gaussian-smoothed density at x with width sigma.
  double at(double x, double sigma) const;
};
SpectralDensity lanczos_density(Objective& objective, const std::vector<double>& point,
                                const std::vector<PetscInt>& indices, int probes, int steps, std::uint64_t seed);

}  // namespace msopt
