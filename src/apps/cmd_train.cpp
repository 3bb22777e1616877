#include <cmath>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "train_tracking.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/optim/ksp_baseline.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/optim/tao_baseline.hpp"
#include "msopt/train/trainer.hpp"
#include "timing.hpp"

namespace msopt::apps {

namespace {

bool is_ksp(const std::string& type) { return type == "cg" || type == "chebyshev"; }
bool is_baseline(const std::string& type) { return is_ksp(type) || type == "lbfgs"; }

// Whether the optimizer takes its parameters from the spectrum.
bool needs_spectrum(const std::string& type, const Options& o) {
  if (type == "mrgd" || type == "chebyshev") return true;
  if (type == "gd") return !o.given("-opt_lr");
  if (type == "heavyball" || type == "nesterov") return !o.given("-opt_lr") || !o.given("-opt_momentum");
  return false;
}

void report(MPI_Comm comm, const std::string& type, const History& history, double reference, double rtol,
            const std::string& reason) {
  double reached = history.evaluations_to_reach(rtol * reference);
  double last = history.size() ? history.residual.back() / reference : NAN;
  double loss = history.size() ? history.loss.back() : NAN;
  // The KSP baselines see only the residual of the normal equations, not the loss.
  char loss_text[40] = "loss not computed (KSP)";
  if (std::isfinite(loss)) std::snprintf(loss_text, sizeof loss_text, "loss %.6e", loss);
  PetscPrintf(comm, "train: %s: %s; final relative gradient %.3e, %s; gradient evaluations to %.0e: %s\n",
              type.c_str(), reason.c_str(), last, loss_text, rtol,
              reached < 0 ? "not reached" : std::to_string(static_cast<long>(reached)).c_str());
}

}  // namespace

int run_train(MPI_Comm comm) {
  Options o(comm, "train", "train a model: the least-squares problem A w = b of the MrGD paper (Appendix E) by default");
  Problem problem;
  problem.read_options(o);
  std::vector<std::string> types = optimizer_names();
  types.insert(types.end(), {"cg", "chebyshev", "lbfgs"});
  auto type = o.choice("-opt_type", "mrgd", types, "optimizer (cg, chebyshev: least squares only)");
  auto spec_file = o.string("-spec_file", "", "spectrum from 'msopt spectrum -spec_out' (default: compute it)");
  auto history_out = o.string("-history_out", "", "HDF5 history (a CSV is written beside it)");
  auto restart = o.string("-restart", "", "checkpoint file, or the -checkpoint_file of a run: its newest valid one");
  auto timing_out = o.string("-timing_out", "", "append where the time went (scaling study) to this CSV");
  auto timing_label = o.string("-timing_label", "run", "label of the -timing_out row");
  auto settings = TrainSettings::from_options(o);
  auto tracking = TrackSettings::from_options(o, history_out);
  if (!is_baseline(type)) o.declare([&] { create_optimizer(type, o, ProblemInfo{}); });
  if (is_ksp(type)) o.uses_solver("ksp", "opt_");
  if (type == "lbfgs") o.uses_solver("tao", "opt_");
  if (spec_file.empty() || tracking.sharpness) o.uses_solver("eps", "spec_");
  if (o.finish()) return 0;
  require(!is_baseline(type) || (restart.empty() && settings.checkpoint_every == 0),
          "option -opt_type " + type + ": PETSc KSP/TAO baselines do not checkpoint or restart");
  require(!is_baseline(type) || tracking.every == 0,
          "option -track_every: PETSc KSP/TAO baselines run without tracking");
  require(!is_ksp(type) || problem.model.is_least_squares(),
          "option -opt_type " + type + ": KSP baselines solve the least-squares normal equations (-model least_squares)");

  RunFiles files(comm);
  problem.declare_files(files);
  files.input("-spec_file", spec_file);
  files.input("-restart", restart, true);
  files.output("-history_out", history_out, history_csv_path(history_out), kHistoryCsvHeader);
  files.appended("-timing_out", timing_out);
  if (tracking.every > 0) tracking.declare_files(files);
  if (settings.checkpoint_every > 0) files.checkpoints("-checkpoint_file", settings.checkpoint_path);
  files.check();

  if (!timing_out.empty()) MSOPT_PETSC(PetscLogDefaultBegin());
  problem.load(comm);
  Objective& objective = *problem.objective;
  ProblemInfo info;
  info.dim = objective.dim();
  info.groups_at = [&problem](const std::vector<double>& point) { return problem.spectrum_at(point).groups; };
  info.top_underestimated = problem.hessian_kind == "class_blocks";
  info.rtol = settings.rtol;
  if (!spec_file.empty()) {
    info.groups = problem.matching_spectrum(spec_file, comm).groups;
  } else if (needs_spectrum(type, o)) {
    info.groups = problem.spectrum_at(problem.start).groups;
  }
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  // One print per line: an error line from another rank must not land inside it.
  char spectrum_text[120] = "";
  if (!info.groups.empty())
    std::snprintf(spectrum_text, sizeof spectrum_text, ", spectrum [%.4e, %.4e] in %zu groups", info.sigma_min(),
                  info.sigma_max(), info.groups.size());
  PetscPrintf(comm, "train: %s, %s model on %s (N = %d, d = %d, %d parameters, %d ranks)%s\n", type.c_str(),
              problem.model.kind.c_str(), problem.data_path.c_str(), static_cast<int>(problem.data.n_global),
              static_cast<int>(problem.data.dim), static_cast<int>(info.dim), ranks, spectrum_text);

  ScopedStage stage(log_registry().train);
  HistoryLabel label;
  label.method = type;
  label.reference_norm = problem.reference_norm;
  std::vector<double> solution;
  History history;
  bool diverged = false;
  const double t0 = MPI_Wtime();
  if (is_ksp(type)) {
    MatHandle A = problem.hessian(problem.start);
    KspSettings ks{type, settings.rtol, settings.max_it, info.groups.empty() ? 0 : info.sigma_min(),
                   info.groups.empty() ? 0 : info.sigma_max()};
    label.parameters = type == "cg" ? "  cg: no parameters\n" : "  chebyshev: eigenvalue interval from the spectrum\n";
    PetscPrintf(comm, "%s", label.parameters.c_str());
    auto outcome = run_ksp_baseline(A, problem.least_squares()->rhs(), ks);
    history = std::move(outcome.history);
    solution = std::move(outcome.solution);
    label.converged = outcome.converged;
    label.stop_reason = outcome.reason;
  } else if (type == "lbfgs") {
    label.parameters = "  lbfgs: PETSc TAO lmvm (-opt_tao_* options apply)\n";
    PetscPrintf(comm, "%s", label.parameters.c_str());
    TaoSettings ts{"lmvm", settings.rtol * problem.reference_norm, settings.max_it};
    auto outcome = run_tao_baseline(objective, problem.start, ts);
    history = std::move(outcome.history);
    solution = std::move(outcome.solution);
    label.converged = outcome.converged;
    label.stop_reason = outcome.reason;
  } else {
    auto optimizer = create_optimizer(type, o, info);
    label.parameters = optimizer->describe();
    PetscPrintf(comm, "%s", label.parameters.c_str());
    ProblemFingerprint fingerprint{static_cast<double>(problem.data.n_global), static_cast<double>(info.dim),
                                   problem.reference_norm, type, "", {}};
    set_run_settings(fingerprint, o, settings, label.parameters);
    Checkpoint start;
    start.parameters = problem.start;
    if (!restart.empty()) {
      Resumed resumed = resume_checkpoint(restart, comm, fingerprint);
      start = std::move(resumed.checkpoint);
      optimizer->set_state(start.optimizer_state);
      PetscPrintf(comm, "train: resumed from %s at evaluation %d\n", resumed.path.c_str(),
                  static_cast<int>(start.iteration));
      label.restart_overrides = start.overridden;
      if (!start.overridden.empty())
        PetscPrintf(comm, "train: resumed with settings that differ from the checkpoint's (-restart_override):\n%s",
                    start.overridden.c_str());
    }
    std::unique_ptr<TrainTracker> tracker;
    if (tracking.every > 0) {
      tracker = std::make_unique<TrainTracker>(tracking, problem, comm, !restart.empty());
      tracker->restore(start.extras);
    }
    auto outcome = train(objective, *optimizer, settings, fingerprint, std::move(start), tracker.get());
    if (tracker) tracker->add_to(label);
    history = std::move(outcome.history);
    solution = std::move(outcome.parameters);
    label.converged = outcome.converged;
    label.stop_reason = outcome.reason;
    diverged = outcome.diverged;
  }
  const double seconds = MPI_Wtime() - t0;
  report(comm, type, history, label.reference_norm, settings.rtol, label.stop_reason);
  PetscPrintf(comm, "train: %.3f s\n", seconds);
  if (!timing_out.empty())
    append_timing_row(timing_out, comm, {timing_label, problem.data.n_global, problem.data.dim,
                                         static_cast<PetscInt>(history.size()), seconds});
  if (!history_out.empty()) {
    label.settings = o.values_text();
    write_history(history_out, comm, history, label, solution);
    PetscPrintf(comm, "train: wrote %s\n", history_out.c_str());
  }
  if (diverged) {
    PetscFPrintf(comm, PETSC_STDERR, "msopt: error: %s\n", label.stop_reason.c_str());
    return 1;
  }
  return 0;
}

}  // namespace msopt::apps
