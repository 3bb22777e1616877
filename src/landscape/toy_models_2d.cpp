// The 2-D landscapes: f3 of Fig. 4.1, the flattening valley of Fig. 4.2, the
// two-valley landscape of Fig. 5.1 (eq. 5.1) and the 2-D valleys of Sec. 6.
#include <cmath>

#include "jet2.hpp"
#include "toy_models.hpp"

namespace msopt {

using jet2::compose;
using jet2::Jet;
using jet2::variable;

namespace {

// f1(|x|) on R^2: grad = f1'(r) x / r, Hessian = f1''(r) x x^T / r^2 +
// f1'(r)/r (I - x x^T / r^2), which tends to I at r = 0 (f1''(0) = 1).
Jet f1_radial(double x1, double x2) {
  const double r = std::hypot(x1, x2);
  Jet j;
  if (r == 0) {
    j.h[0] = j.h[2] = 1;
    return j;
  }
  const Profile p = f1_profile(r);
  const double ratio = std::log1p(r) / r, u1 = x1 / r, u2 = x2 / r;
  j.v = p.value;
  j.g[0] = p.d1 * u1;
  j.g[1] = p.d1 * u2;
  j.h[0] = p.d2 * u1 * u1 + ratio * (1 - u1 * u1);
  j.h[1] = (p.d2 - ratio) * u1 * u2;
  j.h[2] = p.d2 * u2 * u2 + ratio * (1 - u2 * u2);
  return j;
}

Jet constant(double c) {
  Jet j;
  j.v = c;
  return j;
}

// h(a, b) = f1((1 + 0.001 a^2) b) (Fig. 5.1), as a jet in the jets a, b.
Jet scaled_f1(const Jet& a, const Jet& b) {
  const Jet s = (constant(1) + 0.001 * (a * a)) * b;
  return compose(f1_profile(s.v), s);
}

}  // namespace

// f3(x1, x2) = f2(x1) + f2(x1 + x2) + 0.5 f1(sqrt(x1^2 + x2^2)) (Fig. 4.1 right).
LandscapeJet F3Landscape::evaluate(const std::vector<double>& x) const {
  const Jet x1 = variable(x[0], 0), x2 = variable(x[1], 1), sum = x1 + x2;
  return to_landscape(compose(population_profile(x1.v, C_), x1) + compose(population_profile(sum.v, C_), sum) +
                      0.5 * f1_radial(x[0], x[1]));
}

// f(x1, x2) = f1(h(x1) x2), h(x1) = 1 / (1 + a x1) (Sec. 4.4, Fig. 4.2).
LandscapeJet ValleyLandscape::evaluate(const std::vector<double>& x) const {
  const double d = 1 + kValleyFlattening * x[0], a = kValleyFlattening;
  Jet s;  // s = x2 / (1 + a x1)
  s.v = x[1] / d;
  s.g[0] = -a * x[1] / (d * d);
  s.g[1] = 1 / d;
  s.h[0] = 2 * a * a * x[1] / (d * d * d);
  s.h[1] = -a / (d * d);
  return to_landscape(compose(f1_profile(s.v), s));
}

// f = h(x1, x2) + phi(h(x2, 10 x1)), phi(z) = 0.25 z / (1 + z) the cutoff of
// eq. (5.1), h as in scaled_f1 (Fig. 5.1).
LandscapeJet TwoValleyLandscape::evaluate(const std::vector<double>& x) const {
  const Jet x1 = variable(x[0], 0), x2 = variable(x[1], 1);
  const Jet large = scaled_f1(x1, x2), small = scaled_f1(x2, 10 * x1);
  const double z = small.v;
  const Profile cutoff{0.25 * z / (1 + z), 0.25 / ((1 + z) * (1 + z)), -0.5 / ((1 + z) * (1 + z) * (1 + z))};
  return to_landscape(large + compose(cutoff, small));
}

// L(w1, w2) = L_C(w1) + L_{10C}(w2): the population loss (6.2) in each
// input, with x^(2) = 10 x^(1) (Sec. 6, Fig. 6.1 right).
LandscapeJet Valleys2dLandscape::evaluate(const std::vector<double>& x) const {
  const Jet w1 = variable(x[0], 0), w2 = variable(x[1], 1);
  return to_landscape(compose(population_profile(w1.v, C_), w1) + compose(population_profile(w2.v, 10 * C_), w2));
}

}  // namespace msopt
