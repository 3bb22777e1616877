#include "msopt/landscape/quasistatic_valley.hpp"

#include "msopt/landscape/periodic_orbit.hpp"
#include "toy_models.hpp"

namespace msopt {

QuasistaticPath quasistatic_valley(double a, double eta, double x0, int steps) {
  const F1Landscape f1;
  QuasistaticPath path;
  double x = x0;
  for (int t = 0; t <= steps; ++t) {
    const double h = 1 / (1 + a * x);
    // eq. (4.7): z = h y is the 2-periodic point of f1 at rate eta h^2
    const double y = two_periodic_point(f1, eta * h * h) / h;
    path.x.push_back(x);
    path.y.push_back(y);
    x += 2 * y * y * a / (1 + a * x);  // eq. (4.8), d/dx log h = -a / (1 + a x)
  }
  return path;
}

}  // namespace msopt
