// The quasistatic dynamics along the flattening valley F(x, y) = f1(h(x) y)
// (landscape paper, Sec. 4.4): y bounces on the 2-periodic orbit of the
// rescaled problem, eta h(x)^2 f1'(h y) = 2 h y (eq. 4.7), and x follows
// eq. (4.8), x_{t+1} = x_t - 2 y_t^2 d/dx log h(x_t).
#pragma once
#include <vector>

namespace msopt {

struct QuasistaticPath {
  std::vector<double> x, y;  // steps + 1 each; y >= 0 (the |x2| of Fig. 4.2)
};

// h(x) = 1 / (1 + a x) (Fig. 4.2: a = 0.01), from x0 at constant rate eta.
QuasistaticPath quasistatic_valley(double a, double eta, double x0, int steps);

}  // namespace msopt
