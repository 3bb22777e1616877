// PETSc KSP baselines on the normal equations A w = b: conjugate gradients
// and Chebyshev iteration (eigenvalue bounds from the spectrum). One KSP
// iteration is one operator application, i.e. one gradient evaluation.
#pragma once
#include <petscmat.h>

#include <string>
#include <vector>

#include "msopt/optim/history.hpp"

namespace msopt {

struct KspSettings {
  std::string type;  // cg | chebyshev
  double rtol = 1e-8;
  PetscInt max_it = 10000;
  double emin = 0, emax = 0;  // Chebyshev's eigenvalue interval
};

struct KspOutcome {
  History history;
  std::vector<double> solution;  // replicated on every rank
  bool converged = false;
  std::string reason;
};

// Collective. b is replicated; options -opt_ksp_* reach the KSP.
KspOutcome run_ksp_baseline(Mat A, const std::vector<double>& b, const KspSettings& settings);

}  // namespace msopt
