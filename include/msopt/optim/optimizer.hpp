// First-order optimizers behind one interface, picked by name from a
// registry (-opt_type), as PETSc does with KSPRegister.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/linalg/scale_groups.hpp"

namespace msopt {

// What an optimizer may know of the problem before it starts.
struct ProblemInfo {
  PetscInt dim = 0;
  std::vector<ScaleGroup> groups;  // from the spectrum (may be empty if unknown)
  // Collective: the scale groups of the Hessian at a point (empty when the
  // caller cannot compute spectra; MrGD's -mrgd_refresh needs it).
  std::function<std::vector<ScaleGroup>(const std::vector<double>& point)> groups_at;
  // The groups come from softmax class blocks, whose largest eigenvalue can be
  // half the Hessian's (diag(p) - p p^T <= 2 diag(p (1 - p))).
  bool top_underestimated = false;
  // The relative gradient norm the run stops at (-opt_tol): MrGD picks its
  // step order and counts for it.
  double rtol = 1e-8;
  double sigma_max() const { return groups.front().sigma_max; }
  double sigma_min() const { return groups.back().sigma_min; }
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string type() const = 0;
  // One iteration: g = grad L(w) at the current w; w becomes the next point
  // where the gradient is evaluated. Exactly one gradient per step.
  virtual void step(std::vector<double>& w, const std::vector<double>& g) = 0;
  // True where the residual may be judged for divergence (MrGD: cycle ends).
  virtual bool at_cycle_end() const { return true; }
  // The learning rate the next step uses (for progress lines).
  virtual double current_rate() const = 0;
  // A multi-line description of the parameters in use.
  virtual std::string describe() const = 0;
  // Everything needed to continue exactly after a restart.
  virtual std::vector<double> state() const { return {}; }
  virtual void set_state(const std::vector<double>& state);
};

using OptimizerFactory = std::function<std::unique_ptr<Optimizer>(Options&, const ProblemInfo&)>;

void register_optimizer(const std::string& name, OptimizerFactory factory);
std::vector<std::string> optimizer_names();
// Throws msopt::Error naming -opt_type for an unknown name.
std::unique_ptr<Optimizer> create_optimizer(const std::string& name, Options& options, const ProblemInfo& problem);

}  // namespace msopt
