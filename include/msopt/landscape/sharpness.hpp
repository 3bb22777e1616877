// Sharpness: the largest eigenvalue of the loss Hessian at a point (landscape
// paper, Sec. 2.1: under full-batch GD at rate eta it rises to about 2/eta,
// the edge of stability).
#pragma once
#include <vector>

#include "msopt/models/objective.hpp"

namespace msopt {

// Collective: lambda_max(H(w)) by SLEPc Krylov-Schur on the Hessian shell,
// to relative tolerance tol.
double sharpness(Objective& objective, const std::vector<double>& w, double tol = 1e-8);

}  // namespace msopt
