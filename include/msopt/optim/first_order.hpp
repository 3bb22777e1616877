// Constant-parameter methods: gradient descent, Polyak heavy ball, Nesterov,
// and Adam (Kingma & Ba 2015).
// Defaults are the classical optimal choices for a quadratic with spectrum in
// [mu, L] (L = sigma_max, mu = sigma_min of the spectrum).
#pragma once
#include "msopt/optim/optimizer.hpp"

namespace msopt {

std::unique_ptr<Optimizer> create_gd(Options& options, const ProblemInfo& problem);
std::unique_ptr<Optimizer> create_heavyball(Options& options, const ProblemInfo& problem);
std::unique_ptr<Optimizer> create_nesterov(Options& options, const ProblemInfo& problem);
// Reads -opt_lr (default 1e-3), -adam_beta1, -adam_beta2, -adam_epsilon.
std::unique_ptr<Optimizer> create_adam(Options& options, const ProblemInfo& problem);

}  // namespace msopt
