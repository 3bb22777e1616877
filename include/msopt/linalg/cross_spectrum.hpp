// The cross-spectrum delta of Theorem 3.11 (MrGD paper, Assumption 3.10,
// eq. 29-31). Pi is the eigenbasis of a reference Hessian H_ref split by its
// scale groups (the paper's choice after eq. 34: the eigenvectors of the
// Hessian at the minimiser). At a point with Hessian H, the diagonal blocks
// Pi_i H Pi_i^T give sigma_{i,1} and sigma_{i,d_i} (eq. 30) and the largest
// norm of an off-diagonal block Pi_i H Pi_j^T is delta (eq. 31).
#pragma once
#include <vector>

#include "msopt/linalg/scale_groups.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

struct CrossSpectrum {
  std::vector<ScaleGroup> blocks;  // extreme eigenvalues and size of each Pi_i H Pi_i^T (eq. 30)
  std::vector<double> coupling;    // m x m row-major: ||Pi_i H Pi_j^T||_2, 0 on the diagonal
  double delta = 0;                // the largest off-diagonal coupling (eq. 31)
  PetscInt floor_size = 0;         // eigenvectors of H_ref the floor leaves out of Pi
  double floor_coupling = 0;       // ||Pi_0 H||_2 of those (0 for a null space of every Hessian)
};

// Local: H and H_ref dense symmetric n x n (the same on every rank). Pi's
// groups are H_ref's scale groups under `settings` (gap ratio, floor, band
// width). Eigenvectors the floor leaves out (Pi_0: null directions such as
// softmax's common shift of the biases, along which the gradient has no
// component) are not in Pi; floor_coupling says whether H at the point leaves
// them alone. Throws msopt::Error if H_ref has an eigenvalue <= 0 above the floor.
CrossSpectrum cross_spectrum(const std::vector<double>& H, const std::vector<double>& H_ref, PetscInt n,
                             const SpectrumSettings& settings);

// Collective: the dense Hessian of `objective` at `point` (row-major, on every
// rank), by dim() Hessian-vector products; for models of a few thousand parameters.
std::vector<double> dense_hessian(Objective& objective, const std::vector<double>& point);

}  // namespace msopt
