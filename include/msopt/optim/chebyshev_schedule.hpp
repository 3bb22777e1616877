// A multirate cycle for a spectrum without gaps: one GD step at each rate
// 1/lambda_k, lambda_k the Chebyshev nodes of [lambda_max / kappa, lambda_max].
// Theorem 3.4 (MrGD paper) counts steps for separated clusters (r_i << 1); on
// a smoothly decaying spectrum its cycles grow to tens of thousands of steps.
// The Chebyshev rates make the cycle's error polynomial prod_k (1 - lambda /
// lambda_k) the scaled Chebyshev polynomial T_T, the smallest possible on the
// interval (Young 1953); the fractal order of Lebedev and Finogenov keeps the
// partial products bounded in floating point (Agarwal, Goel and Zhang 2021).
#pragma once
#include <petscsys.h>

#include <vector>

#include "msopt/optim/multirate_schedule.hpp"

namespace msopt {

// The permutation sigma_T of 1..T (T a power of 2): sigma_1 = (1),
// sigma_2n = (s_1, 2n + 1 - s_1, s_2, 2n + 1 - s_2, ...) for s = sigma_n.
std::vector<int> fractal_order(int steps);

// Chebyshev nodes of [lambda_min, lambda_max], largest first:
// (lambda_max + lambda_min)/2 + (lambda_max - lambda_min)/2 cos((2k - 1) pi / (2T)), k = 1..T.
std::vector<double> chebyshev_nodes(double lambda_min, double lambda_max, int steps);

// Default cycle length: the power of 2 nearest sqrt(kappa) (Chebyshev's
// contraction per step stops improving beyond about sqrt(kappa) steps).
int chebyshev_default_steps(double kappa);

// The schedule: rates 1/lambda_k, one step each, in the fractal order.
// cycle_contraction is 1 / T_T((kappa + 1) / (kappa - 1)), the error bound on
// the interval after one cycle; worst_amplification is the largest
// |partial product| over the interval (sampled) along the cycle.
MultirateSchedule chebyshev_schedule(double lambda_max, double kappa, int steps);

}  // namespace msopt
