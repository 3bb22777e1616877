// PETSc TAO baselines on any Objective: L-BFGS (TAO's lmvm) and nonlinear
// CG (bncg). Every objective-and-gradient callback is one recorded gradient
// evaluation; the distributed TAO vector is gathered to the replicated
// parameters msopt's objectives use.
#pragma once
#include <string>
#include <vector>

#include "msopt/models/objective.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt {

struct TaoSettings {
  std::string type = "lmvm";  // a TaoType: lmvm (L-BFGS), bncg, ...
  double gradient_tolerance = 0;  // stop when ||grad|| <= this
  PetscInt max_evaluations = 10000;
};

// Collective. Options -opt_tao_* reach the Tao.
SolveOutcome run_tao_baseline(Objective& objective, const std::vector<double>& start, const TaoSettings& settings);

// -opt_type lbfgs: TAO's lmvm (the -opt_tao_* options apply).
std::unique_ptr<Optimizer> create_lbfgs();

}  // namespace msopt
