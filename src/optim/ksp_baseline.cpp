#include "msopt/optim/ksp_baseline.hpp"

#include <cmath>
#include <limits>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/core/replicated_vec.hpp"

namespace msopt {

namespace {

PetscErrorCode record_residual(KSP, PetscInt iteration, PetscReal norm, void* raw) {
  auto* history = static_cast<History*>(raw);
  history->add(static_cast<double>(iteration), norm, std::numeric_limits<double>::quiet_NaN());
  return 0;
}

}  // namespace

KspOutcome run_ksp_baseline(Mat A, const std::vector<double>& b, const KspSettings& s) {
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(A));
  require(s.type == "cg" || s.type == "chebyshev", "unknown KSP baseline '" + s.type + "'");
  VecHandle rhs, x;
  MSOPT_PETSC(MatCreateVecs(A, x.out(), rhs.out()));
  set_from_replicated(rhs, b);

  KspOutcome out;
  KSPHandle ksp;
  MSOPT_PETSC(KSPCreate(comm, ksp.out()));
  MSOPT_PETSC(KSPSetOperators(ksp, A, A));
  MSOPT_PETSC(KSPSetType(ksp, s.type == "cg" ? KSPCG : KSPCHEBYSHEV));
  PC pc = nullptr;
  MSOPT_PETSC(KSPGetPC(ksp, &pc));
  MSOPT_PETSC(PCSetType(pc, PCNONE));
  MSOPT_PETSC(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
  MSOPT_PETSC(KSPSetTolerances(ksp, s.rtol, 0.0, 1e300, s.max_it));
  if (s.type == "chebyshev") MSOPT_PETSC(KSPChebyshevSetEigenvalues(ksp, s.emax, s.emin));
  MSOPT_PETSC(KSPMonitorSet(ksp, record_residual, &out.history, nullptr));
  MSOPT_PETSC(KSPSetOptionsPrefix(ksp, "opt_"));
  MSOPT_PETSC(KSPSetFromOptions(ksp));
  MSOPT_PETSC(KSPSolve(ksp, rhs, x));

  KSPConvergedReason reason;
  MSOPT_PETSC(KSPGetConvergedReason(ksp, &reason));
  out.converged = reason > 0;
  out.reason = KSPConvergedReasons[reason];

  out.solution = gather_replicated(x);
  return out;
}

}  // namespace msopt
