// The 1-D building blocks of the toy landscapes, each with its first and
// second derivative: f1 (Fig. 4.1 left), the 3-neuron ReLU population loss
// (eq. 6.2, f2 of Fig. 4.1 middle) and the empirical loss of (6.1).
#pragma once
#include <vector>

namespace msopt {

struct Profile {
  double value = 0, d1 = 0, d2 = 0;
};

// f1(x) = (1 + |x|) ln(1 + |x|) - |x| (Fig. 4.1): f1' = sign(x) ln(1 + |x|),
// f1'' = 1 / (1 + |x|), decreasing in |x| (subquadratic, Sec. 4.1).
Profile f1_profile(double x);

// Eq. (6.2), the population loss of the 3-neuron model for x ~ U[0, C]:
// C^2 w^2 / 3 for |w| <= 1/C, 1 - 2 / (3 C |w|) beyond.
Profile population_profile(double w, double C);

// The 3-neuron shared-weight network (6.1), f(x, w) = 1 - s(wx + 1) + 2 s(wx)
// - s(wx - 1) with s the ReLU, and its empirical loss L(w) = mean_i f(x_i, w)^2
// (targets 0, Sec. 6). L'' = mean_i 2 (df/dw)^2 away from the kinks.
double relu3_network(double x, double w);
Profile relu3_loss_profile(double w, const std::vector<double>& inputs);

}  // namespace msopt
