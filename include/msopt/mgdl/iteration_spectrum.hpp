// Eigenvalues of the GD iteration matrix A^k = I - eta H(W^k) (MGDL paper,
// Section 6, eqs. (6)-(7); Figures 2, 16): the linearised GD converges when
// they lie in (-1, 1). H is the exact Hessian of the objective as a SLEPc
// operator (create_hessian_shell); eigenvalue mu of H gives 1 - eta mu.
#pragma once
#include <vector>

#include "msopt/models/objective.hpp"

namespace msopt {

struct IterationEigenvalues {
  std::vector<double> smallest;  // ascending: the nev smallest of I - eta H (from H's largest)
  std::vector<double> largest;   // descending: the nev largest of I - eta H (from H's smallest)
};

// Collective. Krylov-Schur for H's nev largest and nev smallest (all by
// LAPACK when 2 nev >= dim); -spec_eps_* options reach the solver.
IterationEigenvalues iteration_eigenvalues(Objective& objective, const std::vector<double>& w, double eta,
                                           PetscInt nev);

// The record of a run: one row of nev values per computation.
struct IterationSpectra {
  PetscInt nev = 10;
  std::vector<double> evaluations;        // evaluation number (1-based) of W^k
  std::vector<double> smallest, largest;  // rows of nev values
  void add(double evaluation, const IterationEigenvalues& values);
};

}  // namespace msopt
