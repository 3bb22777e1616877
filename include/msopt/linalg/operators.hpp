// PETSc operators for the covariance A = X^T X / N and for any objective's
// Hessian, acting on distributed Vecs of length d.
#pragma once
#include <functional>
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

// Collective: the d x d covariance on every rank (local X^T X by BLAS syrk, one Allreduce).
std::vector<double> covariance_replicated(const Dataset& data);
// Explicit MPIDENSE d x d covariance, from covariance_replicated.
MatHandle create_covariance_dense(const Dataset& data);

// This rank's share of y = M v for replicated v (the shell sums the shares).
using LocalApply = std::function<void(const double* v, double* partial)>;

// MATSHELL of size n for an operator known as per-rank shares: gathers v to
// every rank, applies `apply`, reduce-scatters the sum into the distributed
// result. `flops` per application are logged for -log_view.
MatHandle create_replicated_shell(MPI_Comm comm, PetscInt n, LocalApply apply, double flops);

// Matrix-free Hessian of `objective` at `point` (MATSHELL): gathers v to
// every rank, applies the local rows, reduce-scatters the result. For the
// quadratic least squares objective this is the covariance at any point.
// `objective` must outlive it; the point is copied.
MatHandle create_hessian_shell(Objective& objective, const std::vector<double>& point);

}  // namespace msopt
