// msopt train: any -opt_type of the optimizer registry on a dataset and model,
// through the optimizer's lifecycle (set-from-options, set-up, solve, view).
#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/core/timing_row.hpp"
#include "msopt/landscape/train_tracker.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectral_weights.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"

namespace msopt::apps {

namespace {

struct TrainCommand {
  Problem problem;
  std::string type, spec_file, history_out, timing_out, timing_label;
  TrainSettings settings;
  TrackSettings tracking;
  std::unique_ptr<Optimizer> optimizer;

  void read(Options& o) {
    problem.read_options(o);
    type = o.choice("-opt_type", "mrgd", optimizer_names(),
                    "optimizer (the KSP baselines solve the least-squares normal equations)");
    spec_file = o.string("-spec_file", "", "spectrum from 'msopt spectrum -spec_out' (default: compute it)");
    history_out = o.string("-history_out", "", "HDF5 history (a CSV is written beside it)");
    timing_out = o.string("-timing_out", "", "append where the time went (scaling study) to this CSV");
    timing_label = o.string("-timing_label", "run", "label of the -timing_out row");
    settings = TrainSettings::from_options(o);
    tracking = TrackSettings::from_options(o, history_out);
    optimizer = create_optimizer(type);
    optimizer->set_from_options(o);
    if (spec_file.empty() || tracking.sharpness) o.uses_solver("eps", "spec_");
  }

  // What the optimizer cannot do, before any work.
  void check() const {
    const bool steps = optimizer->steps();
    require(steps || (settings.restart.empty() && settings.checkpoint_every == 0),
            "option -opt_type " + type + ": PETSc KSP/TAO baselines do not checkpoint or restart");
    require(steps || tracking.every == 0, "option -track_every: PETSc KSP/TAO baselines run without tracking");
    require(!optimizer->needs_normal_equations() || problem.model.is_least_squares(),
            "option -opt_type " + type + ": KSP baselines solve the least-squares normal equations (-model least_squares)");
  }

  void declare_files(RunFiles& files) const {
    problem.declare_files(files);
    files.input("-spec_file", spec_file);
    files.input("-restart", settings.restart, true);
    files.output("-history_out", history_out, history_csv_path(history_out), kHistoryCsvHeader);
    files.appended("-timing_out", timing_out);
    if (tracking.every > 0) tracking.declare_files(files);
    if (settings.checkpoint_every > 0) files.checkpoints("-checkpoint_file", settings.checkpoint_path);
    files.check();
  }

  // The optimizer's view of the problem: dimension and, where it needs them, the scale groups.
  ProblemInfo problem_info(MPI_Comm comm) {
    ProblemInfo info;
    info.dim = problem.objective->dim();
    info.groups_at = [this](const std::vector<double>& point) { return problem.spectrum_at(point).groups; };
    info.top_underestimated = problem.hessian_kind == "class_blocks";
    info.hessian_moves = problem.least_squares() == nullptr;
    info.rtol = settings.rtol;
    Spectrum spectrum;
    if (!spec_file.empty())
      spectrum = problem.matching_spectrum(spec_file, comm);
    else if (optimizer->needs_spectrum())
      spectrum = problem.spectrum_at(problem.start);
    info.groups = spectrum.groups;
    if (spectrum.complete && problem.least_squares()) {  // a constant Hessian, the covariance
      info.eigenvalues = spectrum.eigenvalues;
      info.start_weights = [this] {  // of the starting gradient A w - b, from the covariance A itself
        const std::vector<double> A = covariance_replicated(problem.data);
        std::vector<double> gradient = problem.least_squares()->rhs();
        const PetscBLASInt d = static_cast<PetscBLASInt>(gradient.size()), step = 1;
        const double one = 1, minus_one = -1;
        BLASgemv_("N", &d, &d, &one, A.data(), &d, problem.start.data(), &step, &minus_one, gradient.data(), &step);
        return spectral_weights(A, gradient);
      };
    }
    return info;
  }

  void print_header(MPI_Comm comm, const ProblemInfo& info) const {
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
  }

  // The stepping methods' solve: msopt's trainer with checkpoints, restarts and tracking.
  SolveOutcome run_steps(StepOptimizer& stepping, const Options& o, HistoryLabel& label, MPI_Comm comm) {
    ProblemFingerprint fingerprint{static_cast<double>(problem.data.n_global),
                                   static_cast<double>(problem.objective->dim()), problem.reference_norm, type, "", {}};
    set_run_settings(fingerprint, o, settings, label.parameters);
    Checkpoint start;
    start.parameters = problem.start;
    if (!settings.restart.empty()) {
      Resumed resumed = resume_checkpoint(settings.restart, comm, fingerprint);
      start = std::move(resumed.checkpoint);
      stepping.set_state(start.optimizer_state);
      PetscPrintf(comm, "train: resumed from %s at evaluation %d\n", resumed.path.c_str(),
                  static_cast<int>(start.iteration));
      label.restart_overrides = start.overridden;
      if (!start.overridden.empty())
        PetscPrintf(comm, "train: resumed with settings that differ from the checkpoint's (-restart_override):\n%s",
                    start.overridden.c_str());
    }
    std::unique_ptr<TrainTracker> tracker;
    if (tracking.every > 0) {
      tracker = std::make_unique<TrainTracker>(tracking, *problem.objective, problem.model, problem.data.dim, comm,
                                               !settings.restart.empty());
      tracker->restore(start.extras);
    }
    TrainOutcome outcome = train(*problem.objective, stepping, settings, fingerprint, std::move(start), tracker.get());
    if (tracker) tracker->add_to(label);
    return {std::move(outcome.history), std::move(outcome.parameters), outcome.converged, outcome.diverged,
            outcome.reason};
  }

  SolveTask solve_task(const Options& o, HistoryLabel& label, MPI_Comm comm) {
    SolveTask task;
    task.objective = problem.objective.get();
    task.start = problem.start;
    task.rtol = settings.rtol;
    task.reference_norm = problem.reference_norm;
    task.max_it = settings.max_it;
    if (const auto* ls = problem.least_squares()) {
      task.normal_matrix = [this] { return problem.hessian(problem.start); };
      task.rhs = ls->rhs();
    }
    task.run_steps = [this, &o, &label, comm](StepOptimizer& stepping) { return run_steps(stepping, o, label, comm); };
    return task;
  }
};

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
  TrainCommand c;
  c.read(o);
  if (o.finish()) return 0;
  c.check();
  RunFiles files(comm);
  c.declare_files(files);

  if (!c.timing_out.empty()) MSOPT_PETSC(PetscLogDefaultBegin());
  c.problem.load(comm);
  const ProblemInfo info = c.problem_info(comm);
  c.print_header(comm, info);
  const double set_up_start = MPI_Wtime();
  c.optimizer->set_up(info);
  const double set_up_seconds = MPI_Wtime() - set_up_start;

  ScopedStage stage(log_registry().train);
  HistoryLabel label;
  label.method = c.type;
  label.reference_norm = c.problem.reference_norm;
  label.parameters = c.optimizer->view();
  PetscPrintf(comm, "%s", label.parameters.c_str());
  SolveTask task = c.solve_task(o, label, comm);
  const double t0 = MPI_Wtime();
  SolveOutcome outcome = c.optimizer->solve(task);
  const double seconds = MPI_Wtime() - t0;
  label.converged = outcome.converged;
  label.stop_reason = outcome.reason;
  report(comm, c.type, outcome.history, label.reference_norm, c.settings.rtol, label.stop_reason);
  // The set-up (MrGD's schedule from the spectrum) can take seconds on its own.
  PetscPrintf(comm, "train: %.3f s (set-up before it %.3f s)\n", seconds, set_up_seconds);
  if (!c.timing_out.empty())
    append_timing_row(c.timing_out, comm, {c.timing_label, c.problem.data.n_global, c.problem.data.dim,
                                           static_cast<PetscInt>(outcome.history.size()), seconds});
  if (!c.history_out.empty()) {
    label.settings = o.values_text();
    write_history(c.history_out, comm, outcome.history, label, outcome.solution);
    PetscPrintf(comm, "train: wrote %s\n", c.history_out.c_str());
  }
  if (outcome.diverged) {
    PetscFPrintf(comm, PETSC_STDERR, "msopt: error: %s\n", label.stop_reason.c_str());
    return 1;
  }
  return 0;
}

}  // namespace msopt::apps
