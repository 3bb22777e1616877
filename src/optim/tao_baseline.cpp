#include "msopt/optim/tao_baseline.hpp"
#include "msopt/core/vector_norm.hpp"

#include <petsctao.h>

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/core/replicated_vec.hpp"

namespace msopt {

namespace {

struct Context {
  Objective* objective = nullptr;
  VecScatter to_all = nullptr;
  Vec gathered = nullptr;
  std::vector<double> gradient;
  History* history = nullptr;
};

// Gathers x, evaluates on every rank's rows (one reduction), keeps G's local part.
PetscErrorCode evaluate(Tao, Vec x, PetscReal* value, Vec G, void* raw) {
  auto* ctx = static_cast<Context*>(raw);
  PetscFunctionBeginUser;
  PetscCall(VecScatterBegin(ctx->to_all, x, ctx->gathered, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(ctx->to_all, x, ctx->gathered, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* w = nullptr;
  PetscCall(VecGetArrayRead(ctx->gathered, &w));
  try {
    *value = ctx->objective->value_and_gradient(w, ctx->gradient.data());
  } catch (const std::exception& e) {
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "%s", e.what());
  }
  PetscCall(VecRestoreArrayRead(ctx->gathered, &w));
  PetscInt begin = 0, end = 0;
  PetscCall(VecGetOwnershipRange(G, &begin, &end));
  PetscScalar* g = nullptr;
  PetscCall(VecGetArray(G, &g));
  for (PetscInt k = begin; k < end; ++k) g[k - begin] = ctx->gradient[k];
  PetscCall(VecRestoreArray(G, &g));
  ctx->history->add(static_cast<double>(ctx->history->size() + 1), euclidean_norm(ctx->gradient), *value);
  PetscFunctionReturn(0);
}

}  // namespace

SolveOutcome run_tao_baseline(Objective& objective, const std::vector<double>& start, const TaoSettings& s) {
  MPI_Comm comm = objective.comm();
  const PetscInt d = objective.dim();
  SolveOutcome out;
  VecHandle x;
  MSOPT_PETSC(VecCreateMPI(comm, PETSC_DECIDE, d, x.out()));
  set_from_replicated(x, start);

  Context ctx;
  ctx.objective = &objective;
  ctx.gradient.assign(d, 0.0);
  ctx.history = &out.history;
  ScatterHandle to_all;
  VecHandle gathered;
  MSOPT_PETSC(VecScatterCreateToAll(x, to_all.out(), gathered.out()));
  ctx.to_all = to_all;
  ctx.gathered = gathered;

  TaoHandle tao;
  MSOPT_PETSC(TaoCreate(comm, tao.out()));
  MSOPT_PETSC(TaoSetType(tao, s.type.c_str()));
  MSOPT_PETSC(TaoSetSolution(tao, x));
  MSOPT_PETSC(TaoSetObjectiveAndGradient(tao, nullptr, evaluate, &ctx));
  MSOPT_PETSC(TaoSetTolerances(tao, s.gradient_tolerance, 0.0, 0.0));
  MSOPT_PETSC(TaoSetMaximumFunctionEvaluations(tao, s.max_evaluations));
  MSOPT_PETSC(TaoSetMaximumIterations(tao, s.max_evaluations));
  MSOPT_PETSC(TaoSetOptionsPrefix(tao, "opt_"));
  MSOPT_PETSC(TaoSetFromOptions(tao));
  MSOPT_PETSC(TaoSolve(tao));
  TaoConvergedReason reason;
  MSOPT_PETSC(TaoGetConvergedReason(tao, &reason));
  out.converged = reason > 0;
  out.reason = TaoConvergedReasons[reason];
  out.solution = gather_replicated(x);
  return out;
}

namespace {

class Lbfgs : public Optimizer {
 public:
  std::string type() const override { return "lbfgs"; }
  void set_from_options(Options& o) override { o.uses_solver("tao", "opt_"); }
  void set_up(const ProblemInfo&) override {}
  SolveOutcome solve(SolveTask& task) override {
    return run_tao_baseline(*task.objective, task.start,
                            TaoSettings{"lmvm", task.rtol * task.reference_norm, task.max_it});
  }
  std::string view() const override { return "  lbfgs: PETSc TAO lmvm (-opt_tao_* options apply)\n"; }
};

}  // namespace

std::unique_ptr<Optimizer> create_lbfgs() { return std::make_unique<Lbfgs>(); }

}  // namespace msopt
