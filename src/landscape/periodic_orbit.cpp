#include "msopt/landscape/periodic_orbit.hpp"

#include <algorithm>
#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

double two_periodic_point(const ToyLandscape& f, double eta) {
  require(f.even_1d(), "two_periodic_point: needs an even 1-D landscape (Sec. 4.1)");
  const double target = 2 / eta;
  if (f.evaluate({0.0}).hessian[0] <= target) return 0;  // eta <= 2/f''(0): no orbit (Theorem 4.1)
  auto ratio = [&](double x) { return f.evaluate({x}).gradient[0] / x; };  // h(x) of Lemma 4.1
  double lo = 1e-12, hi = 1;
  while (ratio(hi) > target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e150) return 0;  // f'(x)/x stays above 2/eta: GD diverges
  }
  for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    (ratio(mid) > target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

OrbitSummary detect_orbit(const GdTrajectory& tr, int tail, double tol, int max_period) {
  OrbitSummary s;
  const int T = tr.steps();
  const int first = std::max(0, T - tail + 1);
  auto distance = [&](int a, int b) {
    double d = 0;
    for (int k = 0; k < tr.dim; ++k)
      d = std::max(d, std::fabs(tr.iterates[a * tr.dim + k] - tr.iterates[b * tr.dim + k]));
    return d;
  };
  for (int t = first; t <= T; ++t) {
    double norm = 0;
    for (int k = 0; k < tr.dim; ++k) norm += tr.iterates[t * tr.dim + k] * tr.iterates[t * tr.dim + k];
    s.amplitude = std::max(s.amplitude, std::sqrt(norm));
  }
  if (tr.diverged) return s;
  for (int p = 1; p <= max_period && first - p >= 0; ++p) {
    bool periodic = true;
    for (int t = first; t <= T && periodic; ++t) periodic = distance(t, t - p) <= tol;
    if (periodic) {
      s.period = p;
      break;
    }
  }
  return s;
}

}  // namespace msopt
