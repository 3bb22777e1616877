// Constant-parameter methods: gradient descent, Polyak heavy ball, Nesterov,
// and Adam (Kingma & Ba 2015).
// Defaults are the classical optimal choices for a quadratic with spectrum in
// [mu, L] (L = sigma_max, mu = sigma_min of the spectrum); a rate or momentum
// given as an option makes the spectrum unnecessary.
#pragma once
#include "msopt/optim/optimizer.hpp"

namespace msopt {

// -opt_lr (default 2 / (L + mu)).
std::unique_ptr<Optimizer> create_gd();
// -opt_lr, -opt_momentum (default: Polyak's optimal pair).
std::unique_ptr<Optimizer> create_heavyball();
// -opt_lr (default 1/L), -opt_momentum (default (sqrt(kappa) - 1)/(sqrt(kappa) + 1)).
std::unique_ptr<Optimizer> create_nesterov();
// -opt_lr (default 1e-3), -adam_beta1, -adam_beta2, -adam_epsilon.
std::unique_ptr<Optimizer> create_adam();

}  // namespace msopt
