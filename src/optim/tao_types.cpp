// msopt's optimizers as TAO types (see the header for the options). The
// solve loop follows TaoSolve_CG (src/tao/unconstrained/impls/cg/taocg.c)
// without the line search: one objective-and-gradient per step, the step
// itself is msopt::Optimizer::step on the local part of the solution.
#include "msopt/optim/tao_types.hpp"

#include <petsc/private/taoimpl.h>

#include <exception>
#include <functional>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "tao_option_map.hpp"

namespace msopt::tao {
namespace {

struct Context {
  explicit Context(const std::string& t) : type(t), values(t) {}
  std::string type;
  MappedValues values;                 // the TAO options, under msopt's names
  std::string groups_text, spectrum_file;  // -tao_X_groups, -tao_X_spectrum_file
  bool hessian_known = false;          // groups of tao->hessian computed (until the next TaoSetFromOptions)
  std::vector<ScaleGroup> hessian_groups;
  std::unique_ptr<StepOptimizer> optimizer;
  bool optimizer_used = false;         // a solve has stepped it: the next solve builds a fresh one
  std::vector<double> w, g;            // the local parts of the solution and the gradient
};

Context& context(Tao tao) { return *static_cast<Context*>(tao->data); }

std::string prefix_of(Tao tao) {
  const char* prefix = nullptr;
  TaoGetOptionsPrefix(tao, &prefix);
  return prefix ? prefix : "";
}

// Functions that may throw msopt's exceptions return plain codes (no
// PetscFunctionBegin: an exception must not leave PETSc's debug stack behind).

// Runs `body`, turning msopt's exceptions into PETSc errors (collective ones
// on the TAO's communicator) with the TAO option names.
PetscErrorCode guarded(Tao tao, const std::function<PetscErrorCode()>& body) {
  PetscFunctionBegin;
  try {
    PetscCall(body());
  } catch (const Error& e) {
    SETERRQ(PetscObjectComm(reinterpret_cast<PetscObject>(tao)), PETSC_ERR_USER, "%s",
            context(tao).values.translate(e.what()).c_str());
  } catch (const std::exception& e) {
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "%s", e.what());
  }
  PetscFunctionReturn(0);
}

// The scale groups from the options, the spectrum file or the Hessian (empty when not needed).
PetscErrorCode scale_groups(Tao tao, std::vector<ScaleGroup>& groups) {
  Context& c = context(tao);
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(tao));
  groups.clear();
  const std::string by_hand = c.values.tao_name("groups"), file = c.values.tao_name("spectrum_file");
  require(c.groups_text.empty() || c.spectrum_file.empty(), "options " + by_hand + " and " + file + ": give one");
  if (!c.groups_text.empty()) {
    groups = parse_groups(c.groups_text, by_hand);
  } else if (!c.spectrum_file.empty()) {
    groups = read_spectrum(c.spectrum_file, comm).groups;
  } else if (c.optimizer->needs_spectrum()) {
    require(tao->hessian && tao->ops->computehessian,
            "TAO type " + c.type + " needs the scale groups of the Hessian: give " + by_hand + " or " + file +
                ", or set a Hessian with TaoSetHessian" +
                (c.type == "mrgd" ? std::string()
                 : c.type == "gd" ? ", or give " + c.values.tao_name("lr")
                                  : ", or give " + c.values.tao_name("lr") + " and " + c.values.tao_name("momentum")));
    if (!c.hessian_known) {
      const SpectrumSettings settings = c.values.spectrum_settings();
      PetscCall(TaoComputeHessian(tao, tao->solution, tao->hessian, tao->hessian_pre));
      c.hessian_groups = compute_spectrum(tao->hessian, settings).groups;
      c.hessian_known = true;
    }
    groups = c.hessian_groups;
  }
  return 0;
}

// A fresh optimizer on the local part of the solution.
PetscErrorCode build_optimizer(Tao tao) {
  Context& c = context(tao);
  c.values.bind(PetscObjectComm(reinterpret_cast<PetscObject>(tao)), prefix_of(tao));
  c.optimizer = c.values.create_optimizer();
  ProblemInfo problem;
  PetscCall(VecGetLocalSize(tao->solution, &problem.dim));
  PetscCall(scale_groups(tao, problem.groups));
  c.values.set_up(*c.optimizer, problem);
  c.optimizer_used = false;
  c.w.assign(problem.dim, 0.0);
  c.g.assign(problem.dim, 0.0);
  return 0;
}

PetscErrorCode copy_to(Vec v, std::vector<double>& out) {
  const PetscScalar* a = nullptr;
  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(v, &a));
  out.assign(a, a + out.size());
  PetscCall(VecRestoreArrayRead(v, &a));
  PetscFunctionReturn(0);
}

PetscErrorCode copy_from(const std::vector<double>& in, Vec v) {
  PetscScalar* a = nullptr;
  PetscFunctionBegin;
  PetscCall(VecGetArray(v, &a));
  std::copy(in.begin(), in.end(), a);
  PetscCall(VecRestoreArray(v, &a));
  PetscFunctionReturn(0);
}

// f, ||g|| logged, monitored and tested as TaoSolve_CG does; `rate` is the step just taken.
PetscErrorCode record(Tao tao, PetscReal f, PetscReal gnorm, PetscReal rate) {
  PetscFunctionBegin;
  PetscCall(TaoLogConvergenceHistory(tao, f, gnorm, 0.0, tao->ksp_its));
  PetscCall(TaoMonitor(tao, tao->niter, f, gnorm, 0.0, rate));
  PetscCall((*tao->ops->convergencetest)(tao, tao->cnvP));
  if (tao->reason == TAO_CONTINUE_ITERATING && (PetscIsInfOrNanReal(f) || PetscIsInfOrNanReal(gnorm)))
    tao->reason = TAO_DIVERGED_NAN;
  PetscFunctionReturn(0);
}

PetscErrorCode solve_body(Tao tao) {
  Context& c = context(tao);
  PetscReal f = 0, gnorm = 0;
  if (!c.optimizer || c.optimizer_used) PetscCall(build_optimizer(tao));
  c.optimizer_used = true;
  StepOptimizer& optimizer = *c.optimizer;

  PetscCall(TaoComputeObjectiveAndGradient(tao, tao->solution, &f, tao->gradient));
  PetscCall(VecNorm(tao->gradient, NORM_2, &gnorm));
  tao->reason = TAO_CONTINUE_ITERATING;
  PetscCall(record(tao, f, gnorm, 0.0));
  while (tao->reason == TAO_CONTINUE_ITERATING) {
    if (tao->ops->update) PetscCall((*tao->ops->update)(tao, tao->niter, tao->user_update));
    const double rate = optimizer.current_rate();
    PetscCall(copy_to(tao->solution, c.w));
    PetscCall(copy_to(tao->gradient, c.g));
    optimizer.step(c.w, c.g);
    PetscCall(copy_from(c.w, tao->solution));
    PetscCall(TaoComputeObjectiveAndGradient(tao, tao->solution, &f, tao->gradient));
    PetscCall(VecNorm(tao->gradient, NORM_2, &gnorm));
    tao->niter++;
    PetscCall(record(tao, f, gnorm, rate));
  }
  return 0;
}

PetscErrorCode TaoSolve_Msopt(Tao tao) {
  return guarded(tao, [tao] { return solve_body(tao); });
}

PetscErrorCode TaoSetUp_Msopt(Tao tao) {
  PetscFunctionBegin;
  if (!tao->gradient) PetscCall(VecDuplicate(tao->solution, &tao->gradient));
  // Built here too, so that option mistakes show at TaoSetUp and TaoView has a schedule to print.
  PetscCall(guarded(tao, [tao] { return build_optimizer(tao); }));
  PetscFunctionReturn(0);
}

PetscErrorCode TaoSetFromOptions_Msopt(Tao tao, PetscOptionItems* PetscOptionsObject) {
  Context& c = context(tao);
  char buffer[PETSC_MAX_PATH_LEN];
  PetscBool set = PETSC_FALSE;
  PetscFunctionBegin;
  const std::string head = "msopt " + c.type + " (msopt's options: see include/msopt/optim/tao_types.hpp)";
  PetscOptionsHeadBegin(PetscOptionsObject, head.c_str());
  c.values.clear();
  c.values.bind(PetscObjectComm(reinterpret_cast<PetscObject>(tao)), "");
  for (const auto& o : mapped_options(c.type)) {
    const std::string name = c.values.tao_name(o.key);
    PetscCall(PetscStrncpy(buffer, "default", sizeof buffer));  /* shown by -help; used only when set */
    PetscCall(PetscOptionsString(name.c_str(), o.help.c_str(), "MsoptTaoRegisterAll", "default", buffer, sizeof buffer, &set));
    if (set) c.values.set(o.msopt, buffer);
  }
  if (uses_spectrum(c.type)) {
    c.groups_text.clear();
    c.spectrum_file.clear();
    PetscCall(PetscStrncpy(buffer, "none", sizeof buffer));
    PetscCall(PetscOptionsString(c.values.tao_name("groups").c_str(), "scale groups smax:smin:size,... largest first",
                                 "MsoptTaoRegisterAll", "none", buffer, sizeof buffer, &set));
    if (set) c.groups_text = buffer;
    PetscCall(PetscStrncpy(buffer, "none", sizeof buffer));
    PetscCall(PetscOptionsString(c.values.tao_name("spectrum_file").c_str(), "scale groups from an msopt spectrum file",
                                 "MsoptTaoRegisterAll", "none", buffer, sizeof buffer, &set));
    if (set) c.spectrum_file = buffer;
  }
  PetscOptionsHeadEnd();
  // New options: a new optimizer and, if needed, a new spectrum.
  c.optimizer.reset();
  c.hessian_known = false;
  PetscFunctionReturn(0);
}

PetscErrorCode TaoView_Msopt(Tao tao, PetscViewer viewer) {
  Context& c = context(tao);
  PetscBool ascii = PETSC_FALSE;
  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(viewer), PETSCVIEWERASCII, &ascii));
  if (!ascii) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPushTab(viewer));
  if (!c.optimizer) {
    PetscCall(PetscViewerASCIIPrintf(viewer, "msopt %s: not set up yet (TaoSetUp builds it)\n", c.type.c_str()));
  } else {
    PetscCall(PetscViewerASCIIPrintf(viewer, "msopt %s, step of msopt::Optimizer on each rank's part:\n", c.type.c_str()));
    std::istringstream text(c.optimizer->view());
    for (std::string line; std::getline(text, line);) PetscCall(PetscViewerASCIIPrintf(viewer, "%s\n", line.c_str()));
  }
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

PetscErrorCode TaoDestroy_Msopt(Tao tao) {
  PetscFunctionBegin;
  delete static_cast<Context*>(tao->data);
  tao->data = nullptr;
  PetscFunctionReturn(0);
}

PetscErrorCode create(Tao tao, const char* type) {
  PetscFunctionBegin;
  tao->ops->setup = TaoSetUp_Msopt;
  tao->ops->solve = TaoSolve_Msopt;
  tao->ops->setfromoptions = TaoSetFromOptions_Msopt;
  tao->ops->view = TaoView_Msopt;
  tao->ops->destroy = TaoDestroy_Msopt;
  try {
    tao->data = new Context(type);
  } catch (const std::exception& e) {
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_MEM, "%s", e.what());
  }
  PetscFunctionReturn(0);
}

PetscErrorCode TaoCreate_MrGD(Tao tao) { return create(tao, "mrgd"); }
PetscErrorCode TaoCreate_GD(Tao tao) { return create(tao, "gd"); }
PetscErrorCode TaoCreate_HeavyBall(Tao tao) { return create(tao, "heavyball"); }
PetscErrorCode TaoCreate_Nesterov(Tao tao) { return create(tao, "nesterov"); }
PetscErrorCode TaoCreate_Adam(Tao tao) { return create(tao, "adam"); }

}  // namespace
}  // namespace msopt::tao

PetscErrorCode MsoptTaoRegisterAll(void) {
  using namespace msopt::tao;
  PetscFunctionBegin;
  PetscCall(TaoRegister("mrgd", TaoCreate_MrGD));
  PetscCall(TaoRegister("gd", TaoCreate_GD));
  PetscCall(TaoRegister("heavyball", TaoCreate_HeavyBall));
  PetscCall(TaoRegister("nesterov", TaoCreate_Nesterov));
  PetscCall(TaoRegister("adam", TaoCreate_Adam));
  PetscFunctionReturn(0);
}
