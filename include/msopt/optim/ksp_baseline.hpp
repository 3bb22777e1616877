// PETSc KSP baselines on the normal equations A w = b: conjugate gradients
// and Chebyshev iteration (eigenvalue bounds from the spectrum). One KSP
// iteration is one operator application, i.e. one gradient evaluation; the
// residual at the start (KSP's iteration 0) is evaluation 1, as for every
// -opt_type.
#pragma once
#include <petscmat.h>

#include <string>
#include <vector>

#include "msopt/optim/optimizer.hpp"

namespace msopt {

struct KspSettings {
  std::string type;  // cg | chebyshev
  double rtol = 1e-8;
  PetscInt max_it = 10000;
  double emin = 0, emax = 0;  // Chebyshev's eigenvalue interval
};

// Collective. b is replicated; options -opt_ksp_* reach the KSP.
SolveOutcome run_ksp_baseline(Mat A, const std::vector<double>& b, const KspSettings& settings);

// -opt_type cg and ksp_chebyshev (the -opt_ksp_* options apply; "ksp_": not MrGD's -mrgd_schedule chebyshev).
std::unique_ptr<Optimizer> create_ksp_cg();
std::unique_ptr<Optimizer> create_ksp_chebyshev();

}  // namespace msopt
