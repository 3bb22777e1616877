#include "msopt/landscape/gd_trajectory.hpp"

#include <cmath>
#include <limits>

namespace msopt {

std::vector<double> GdTrajectory::point(int t) const {
  return std::vector<double>(iterates.begin() + t * dim, iterates.begin() + (t + 1) * dim);
}

namespace {
bool blown_up(const std::vector<double>& x) {
  for (double v : x)
    if (!std::isfinite(v) || std::fabs(v) > 1e100) return true;
  return false;
}
}  // namespace

GdTrajectory run_gd(const ToyLandscape& f, const std::vector<double>& x0, const LrSchedule& schedule, int steps) {
  GdTrajectory tr;
  tr.dim = f.dim();
  std::vector<double> x = x0;
  LandscapeJet jet = f.evaluate(x);
  for (int t = 0;; ++t) {
    tr.iterates.insert(tr.iterates.end(), x.begin(), x.end());
    tr.loss.push_back(jet.value);
    tr.sharpness.push_back(largest_eigenvalue(jet.hessian, tr.dim));
    const double eta = schedule.at(t);
    tr.lr.push_back(eta);
    if (t == steps) break;
    std::vector<double> next(x.size());
    for (size_t k = 0; k < x.size(); ++k) next[k] = x[k] - eta * jet.gradient[k];  // eq. (4.1)
    if (blown_up(next)) {
      tr.diverged = true;
      break;
    }
    LandscapeJet next_jet = f.evaluate(next);
    double num = 0, den = 0;
    for (size_t k = 0; k < x.size(); ++k) {
      num += (next_jet.gradient[k] - jet.gradient[k]) * (next[k] - x[k]);
      den += (next[k] - x[k]) * (next[k] - x[k]);
    }
    tr.step_sharpness.push_back(den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN());
    x = std::move(next);
    jet = std::move(next_jet);
  }
  return tr;
}

}  // namespace msopt
