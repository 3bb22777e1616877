// The training loop: full-batch gradient, history, stopping, divergence
// detection, progress lines and checkpoint/restart.
#pragma once
#include <functional>
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
  double progress_seconds = 5.0;
  bool quiet = false;
  static TrainSettings from_options(Options& options);
};

struct TrainOutcome {
  std::vector<double> parameters;
  History history;
  bool converged = false;
  bool diverged = false;
  std::string reason;
};

// Work on the iterate every `every` gradient evaluations (sharpness, test
// accuracy): run(evaluations, w) is called, collectively, before the gradient
// at w is evaluated and before a checkpoint at the same iteration is written,
// so a run resumed from that checkpoint does not repeat it.
struct IntervalHook {
  PetscInt every = 0;
  std::function<void(PetscInt evaluations, const std::vector<double>& w)> run;
};

// Collective. Starts from `start` (a fresh run: iteration 0, zero history).
TrainOutcome train(Objective& objective, Optimizer& optimizer, const TrainSettings& settings,
                   const ProblemFingerprint& fingerprint, Checkpoint start, const std::vector<IntervalHook>& hooks = {});

}  // namespace msopt
