#include "msopt/optim/ksp_baseline.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/core/replicated_vec.hpp"

namespace msopt {

namespace {

PetscErrorCode record_residual(KSP, PetscInt iteration, PetscReal norm, void* raw) {
  auto* history = static_cast<History*>(raw);
  history->add(static_cast<double>(iteration + 1), norm, std::numeric_limits<double>::quiet_NaN());
  return 0;
}

}  // namespace

SolveOutcome run_ksp_baseline(Mat A, const std::vector<double>& b, const KspSettings& s) {
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(A));
  require(s.type == "cg" || s.type == "chebyshev", "unknown KSP baseline '" + s.type + "'");
  VecHandle rhs, x;
  MSOPT_PETSC(MatCreateVecs(A, x.out(), rhs.out()));
  set_from_replicated(rhs, b);

  SolveOutcome out;
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

namespace {

class KspBaseline : public Optimizer {
 public:
  // `name` in the registry, `ksp_type` PETSc's (cg, chebyshev).
  KspBaseline(std::string name, std::string ksp_type) : type_(std::move(name)), ksp_type_(std::move(ksp_type)) {}
  std::string type() const override { return type_; }
  void set_from_options(Options& o) override { o.uses_solver("ksp", "opt_"); }
  // Chebyshev iteration needs the interval of the spectrum.
  bool needs_spectrum() const override { return ksp_type_ == KSPCHEBYSHEV; }
  bool needs_normal_equations() const override { return true; }
  void set_up(const ProblemInfo& p) override {
    if (!needs_spectrum()) return;
    require(!p.groups.empty(), "option -opt_type " + type_ + ": needs the spectrum's interval");
    emin_ = p.sigma_min();
    emax_ = p.sigma_max();
  }
  SolveOutcome solve(SolveTask& task) override {
    require(static_cast<bool>(task.normal_matrix),
            "option -opt_type " + type_ + ": KSP baselines solve the least-squares normal equations (-model least_squares)");
    MatHandle A = task.normal_matrix();
    return run_ksp_baseline(A, task.rhs, KspSettings{ksp_type_, task.rtol, task.max_it, emin_, emax_});
  }
  std::string view() const override {
    if (!needs_spectrum()) return "  " + type_ + ": PETSc KSP " + ksp_type_ + ", no parameters\n";
    char text[160];
    std::snprintf(text, sizeof text, "  %s: PETSc KSP %s on the spectrum's interval [%.6e, %.6e]\n", type_.c_str(),
                  ksp_type_.c_str(), emin_, emax_);
    return text;
  }

 private:
  std::string type_, ksp_type_;
  double emin_ = 0, emax_ = 0;
};

}  // namespace

std::unique_ptr<Optimizer> create_ksp_cg() { return std::make_unique<KspBaseline>("cg", KSPCG); }
std::unique_ptr<Optimizer> create_ksp_chebyshev() { return std::make_unique<KspBaseline>("ksp_chebyshev", KSPCHEBYSHEV); }

}  // namespace msopt
