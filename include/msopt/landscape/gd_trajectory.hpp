// Plain GD, x_{t+1} = x_t - eta_t grad f(x_t) (landscape paper, eq. 4.1), on
// a toy landscape, recording what the paper plots: iterate, loss, sharpness
// (largest Hessian eigenvalue, Sec. 2.1) and rate at every step, and the
// curvature GD sees along each step,
//   s_t = <grad f(x_{t+1}) - grad f(x_t), x_{t+1} - x_t> / |x_{t+1} - x_t|^2,
// which is exactly 2/eta on a 2-periodic orbit (Lemma 4.1: 2/eta = f'(x_eta)/x_eta).
#pragma once
#include <vector>

#include "msopt/landscape/lr_schedule.hpp"
#include "msopt/landscape/toy_landscape.hpp"

namespace msopt {

struct GdTrajectory {
  int dim = 0;
  std::vector<double> iterates;        // (steps + 1) x dim, row-major
  std::vector<double> loss, sharpness, lr;  // steps + 1 (lr: the rate of the step leaving x_t)
  std::vector<double> step_sharpness;  // steps (s_t above; NaN for a step of length 0)
  bool diverged = false;               // stopped at a non-finite or |x| > 1e100 iterate
  int steps() const { return static_cast<int>(loss.size()) - 1; }
  std::vector<double> point(int t) const;
};

GdTrajectory run_gd(const ToyLandscape& f, const std::vector<double>& x0, const LrSchedule& schedule, int steps);

}  // namespace msopt
