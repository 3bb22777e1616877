// The training loop: full-batch gradient, history, stopping, divergence
// detection, progress lines and checkpoint/restart.
#pragma once
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/models/objective.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/checkpoint.hpp"

namespace msopt {

struct TrainSettings {
  double rtol = 1e-8;               // stop when ||grad|| <= rtol * reference_norm
  PetscInt max_it = 100000;         // gradient evaluations at most
  double divergence_factor = 1e6;   // diverged when ||grad|| > factor * best (at cycle ends)
  PetscInt checkpoint_every = 0;    // 0: no checkpoints
  PetscInt checkpoint_keep = 2;     // newest checkpoints kept
  std::string checkpoint_path;
  std::string restart;               // -restart: a checkpoint, or the -checkpoint_file of a run
  double progress_seconds = 5.0;
  bool quiet = false;
  std::vector<std::string> restart_overrides;  // options allowed to differ from the checkpoint's
  static TrainSettings from_options(Options& options);
};

// The run's trajectory settings (options read through `o` and the
// optimizer's description) and its -restart_override list, checked against
// the options `o` knows.
void set_run_settings(ProblemFingerprint& fingerprint, const Options& o, const TrainSettings& settings,
                      const std::string& optimizer_description);

// Watches a run (validation loss, early stopping, spectra): called after
// every finite gradient evaluation, and asked for its state at checkpoints.
class TrainMonitor {
 public:
  virtual ~TrainMonitor() = default;
  // After evaluation number `evaluation` (1-based) at w with loss `loss`;
  // false stops the run with stop_reason(). Collective.
  virtual bool observe(PetscInt evaluation, const std::vector<double>& w, double loss) = 0;
  virtual std::string stop_reason() const = 0;
  // Stored in every checkpoint (Checkpoint::extras); the caller restores it
  // before resuming.
  virtual CheckpointExtras state() const { return {}; }
};

struct TrainOutcome {
  std::vector<double> parameters;
  History history;
  bool converged = false;
  bool diverged = false;
  bool stopped = false;  // by the monitor
  std::string reason;
};

// Collective: a fresh start at `parameters`, or, when `resume` is set and
// checkpoints exist at `path`, the newest valid one with the optimizer's
// state restored, announced as "<who>: resumed from ...". The caller restores
// its monitor from the returned extras.
Checkpoint start_or_resume(std::vector<double> parameters, bool resume, const std::string& path, MPI_Comm comm,
                           const ProblemFingerprint& fingerprint, StepOptimizer& optimizer, const char* who);

// Collective. Starts from `start` (a fresh run: iteration 0, zero history, and
// the optimizer reset to the state its set-up left).
// `monitor` (optional) sees every evaluation and may stop the run.
TrainOutcome train(Objective& objective, StepOptimizer& optimizer, const TrainSettings& settings,
                   const ProblemFingerprint& fingerprint, Checkpoint start, TrainMonitor* monitor = nullptr);

}  // namespace msopt
