// PETSc operators for the covariance A = X^T X / N and for any objective's
// Hessian, acting on distributed Vecs of length d.
#pragma once
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

// Explicit MPIDENSE d x d covariance: local X^T X by BLAS syrk, one Allreduce.
MatHandle create_covariance_dense(const Dataset& data);

// Matrix-free Hessian of `objective` at `point` (MATSHELL): gathers v to
// every rank, applies the local rows, reduce-scatters the result. For the
// quadratic least squares objective this is the covariance at any point.
// `objective` must outlive it; the point is copied.
MatHandle create_hessian_shell(Objective& objective, const std::vector<double>& point);

}  // namespace msopt
