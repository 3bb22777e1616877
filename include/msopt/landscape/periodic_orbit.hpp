// Periodic orbits of GD (landscape paper, Sec. 4.1): the predicted 2-periodic
// point x_eta of Lemma 4.1 (eta f'(x_eta) = 2 x_eta) and the period a
// trajectory settles into.
#pragma once
#include "msopt/landscape/gd_trajectory.hpp"

namespace msopt {

// x_eta > 0 with eta f'(x_eta) = 2 x_eta on an even 1-D landscape, by
// bisection on f'(x)/x (decreasing, Lemma 4.1); 0 when eta <= 2/f''(0)
// (Theorem 4.1: GD then converges to 0) or when f'(x)/x never falls to 2/eta.
double two_periodic_point(const ToyLandscape& f, double eta);

struct OrbitSummary {
  int period = 0;        // 1: converged; p: |x_t - x_{t-p}| <= tol over the tail; 0: none up to max_period
  double amplitude = 0;  // max |x_t| over the tail
};

// Over the last `tail` iterates of `trajectory` (at a constant rate there).
OrbitSummary detect_orbit(const GdTrajectory& trajectory, int tail, double tol, int max_period = 16);

}  // namespace msopt
