// Every optimizer behind one lifecycle, as PETSc's KSP and TAO types:
//   create_optimizer(name)  -> set_from_options(options) -> set_up(problem)
//   -> solve(task) -> view()
// and one name registry (-opt_type), as PETSc's KSPRegister: msopt's
// stepping methods (gd, mrgd, heavyball, nesterov, adam) and the PETSc
// baselines (KSP cg and Chebyshev, TAO L-BFGS) alike.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/core/options.hpp"
#include "msopt/linalg/scale_groups.hpp"
#include "msopt/models/objective.hpp"
#include "msopt/optim/history.hpp"

namespace msopt {

// What set-up may know of the problem.
struct ProblemInfo {
  PetscInt dim = 0;
  std::vector<ScaleGroup> groups;  // from the spectrum (empty unless needs_spectrum())
  // The spectrum's eigenvalues, descending, when all are known and the Hessian
  // is constant (a quadratic; else empty): -mrgd_schedule groups_chebyshev then
  // cuts the groups at the gaps inside them.
  std::vector<double> eigenvalues;
  // Collective, optional, with eigenvalues: the squared components of the
  // starting gradient along their eigenvectors (the same order). MrGD's
  // groups_chebyshev then picks between its cycles by the residual each
  // leaves from this start, else from a start of equal components.
  std::function<std::vector<double>()> start_weights;
  // Collective: the scale groups of the Hessian at a point (empty when the
  // caller cannot compute spectra; MrGD's -mrgd_refresh needs it).
  std::function<std::vector<ScaleGroup>(const std::vector<double>& point)> groups_at;
  // The groups come from softmax class blocks, whose largest eigenvalue can be
  // half the Hessian's (diag(p) - p p^T <= 2 diag(p (1 - p))).
  bool top_underestimated = false;
  // The Hessian depends on the point (the loss is not a quadratic): MrGD's
  // -mrgd_refresh then keeps a cycle only where it lowers the loss.
  bool hessian_moves = false;
  // The relative gradient norm the run stops at (-opt_tol): MrGD picks its
  // step order and counts for it.
  double rtol = 1e-8;
  double sigma_max() const { return groups.front().sigma_max; }
  double sigma_min() const { return groups.back().sigma_min; }
};

// The result of a solve. history rows count gradient evaluations with the
// starting point's gradient as evaluation 1, for every method.
struct SolveOutcome {
  History history;
  std::vector<double> solution;  // replicated on every rank
  bool converged = false;
  bool diverged = false;
  std::string reason;
};

class StepOptimizer;

// What a solve works on; the caller (msopt train) fills it.
struct SolveTask {
  Objective* objective = nullptr;
  std::vector<double> start;
  double rtol = 1e-8;          // stop at ||grad|| <= rtol * reference_norm
  double reference_norm = 1;
  PetscInt max_it = 100000;    // gradient evaluations at most
  // The least-squares normal equations A w = b, where the problem has them
  // (the KSP baselines solve them): A as a PETSc operator, and b.
  std::function<MatHandle()> normal_matrix;
  std::vector<double> rhs;
  // The training loop for stepping methods (checkpoints, monitors, progress).
  std::function<SolveOutcome(StepOptimizer&)> run_steps;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string type() const = 0;
  // Reads this optimizer's options (under -help: declares them only).
  virtual void set_from_options(Options& options) = 0;
  // After set_from_options: whether set_up needs the spectrum's scale groups.
  virtual bool needs_spectrum() const { return false; }
  // Whether it solves only the least-squares normal equations (SolveTask::normal_matrix).
  virtual bool needs_normal_equations() const { return false; }
  // Whether it runs step by step (msopt's trainer: checkpoints, restarts, monitors).
  virtual bool steps() const { return false; }
  // Chooses the parameters for this problem; throws msopt::Error naming the option.
  virtual void set_up(const ProblemInfo& problem) = 0;
  // Collective.
  virtual SolveOutcome solve(SolveTask& task) = 0;
  // A multi-line description of the parameters set-up chose.
  virtual std::string view() const = 0;
};

// msopt's first-order methods: one gradient and one step per iteration.
class StepOptimizer : public Optimizer {
 public:
  bool steps() const override { return true; }
  SolveOutcome solve(SolveTask& task) override { return task.run_steps(*this); }
  // One iteration: g = grad L(w) at the current w; w becomes the next point
  // where the gradient is evaluated. Exactly one gradient per step.
  virtual void step(std::vector<double>& w, const std::vector<double>& g) = 0;
  // The loss at the point of the gradient the next step() gets (msopt's trainer
  // tells it after each evaluation; MrGD's -mrgd_refresh guards its cycles with it).
  virtual void note_loss(double /*loss*/) {}
  // True where the residual may be judged for divergence (MrGD: cycle ends,
  // but not one its guard is about to undo).
  virtual bool at_cycle_end() const { return true; }
  // The learning rate the next step uses (for progress lines).
  virtual double current_rate() const = 0;
  // Back to the state set-up left (a fresh solve from a new start).
  virtual void reset() {}
  // Everything needed to continue exactly after a restart.
  virtual std::vector<double> state() const { return {}; }
  virtual void set_state(const std::vector<double>& state);
};

using OptimizerFactory = std::function<std::unique_ptr<Optimizer>()>;

void register_optimizer(const std::string& name, OptimizerFactory factory);
// Every registered name, or only the stepping methods'.
std::vector<std::string> optimizer_names(bool stepping_only = false);
// Creates (nothing read yet). Throws msopt::Error naming -opt_type for an unknown name.
std::unique_ptr<Optimizer> create_optimizer(const std::string& name);
// create -> set_from_options -> set_up for a stepping method (MGDL grades, TAO types, tests).
std::unique_ptr<StepOptimizer> create_step_optimizer(const std::string& name, Options& options,
                                                     const ProblemInfo& problem);

}  // namespace msopt
