#include "msopt/train/trainer.hpp"
#include "msopt/core/vector_norm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "msopt/core/error.hpp"

namespace msopt {

TrainSettings TrainSettings::from_options(Options& o) {
  TrainSettings s;
  s.rtol = o.positive_real("-opt_tol", s.rtol, "stop at ||grad L(w)|| / ||grad L(w0)|| (= ||A w - b|| / ||b|| for least squares)");
  s.max_it = o.positive_integer("-opt_max_it", s.max_it, "most gradient evaluations");
  s.divergence_factor = o.real("-opt_divergence_factor", s.divergence_factor,
                               "diverged when the residual exceeds this times its best (cycle ends)");
  s.checkpoint_every = o.nonnegative_integer("-checkpoint_every", 0, "write a checkpoint every K iterations");
  s.checkpoint_keep = o.positive_integer("-checkpoint_keep", s.checkpoint_keep, "newest checkpoints to keep");
  s.checkpoint_path = o.string("-checkpoint_file", "checkpoint.h5",
                               "checkpoint name: files <stem>.<iteration>.h5 are written");
  s.restart = o.string("-restart", "",
                       "a checkpoint file, or the -checkpoint_file of an interrupted run: continue from its newest "
                       "valid checkpoint");
  s.progress_seconds = o.real("-progress_seconds", s.progress_seconds, "seconds between progress lines");
  s.quiet = o.quiet();
  const std::string overrides = o.string("-restart_override", "",
                                         "resume although these options differ from the checkpoint's (names without "
                                         "the dash, e.g. opt_lr,mrgd_eta, or all); recorded in the history");
  if (o.help_requested()) return s;
  require(s.divergence_factor > 1, "option -opt_divergence_factor: must be larger than 1");
  require(std::isfinite(s.progress_seconds) && s.progress_seconds >= 0, "option -progress_seconds: must not be negative");
  for (size_t start = 0; start < overrides.size();) {
    size_t end = overrides.find(',', start);
    if (end == std::string::npos) end = overrides.size();
    std::string name = overrides.substr(start, end - start);
    if (!name.empty() && name != "all" && name[0] != '-') name = "-" + name;
    if (!name.empty()) s.restart_overrides.push_back(name);
    start = end + 1;
  }
  return s;
}

void set_run_settings(ProblemFingerprint& fingerprint, const Options& o, const TrainSettings& settings,
                      const std::string& optimizer_description) {
  std::vector<std::string> known;
  for (const auto& entry : o.values()) known.push_back(entry.first);
  for (const auto& name : settings.restart_overrides) {
    if (name == "all" || std::find(known.begin(), known.end(), name) != known.end()) continue;
    const std::string hint = closest_option(name, known);
    throw Error("option -restart_override: " + name + " is not an option of this command" +
                (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  fingerprint.settings = trajectory_settings(o.values(), optimizer_description);
  fingerprint.overrides = settings.restart_overrides;
}

namespace {

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

void print_progress(MPI_Comm comm, PetscInt it, double loss, double relative, double rate, double its_per_second,
                    double eta_seconds) {
  char eta[32] = "-";
  if (std::isfinite(eta_seconds) && eta_seconds >= 0) std::snprintf(eta, sizeof eta, "%.0fs", eta_seconds);
  PetscPrintf(comm, "  it %8d  loss %+.6e  rel.res %.3e  rate %.3e  %8.0f it/s  ETA %s\n", static_cast<int>(it), loss,
              relative, rate, its_per_second, eta);
}

}  // namespace

Checkpoint start_or_resume(std::vector<double> parameters, bool resume, const std::string& path, MPI_Comm comm,
                           const ProblemFingerprint& fingerprint, StepOptimizer& optimizer, const char* who) {
  Checkpoint first;
  first.parameters = std::move(parameters);
  if (resume && !CheckpointSeries::existing(path, comm).empty()) {
    Resumed resumed = resume_checkpoint(path, comm, fingerprint);
    first = std::move(resumed.checkpoint);
    optimizer.set_state(first.optimizer_state);
    PetscPrintf(comm, "%s: resumed from %s at evaluation %d\n", who, resumed.path.c_str(),
                static_cast<int>(first.iteration));
  }
  return first;
}

TrainOutcome train(Objective& objective, StepOptimizer& optimizer, const TrainSettings& s,
                   const ProblemFingerprint& fingerprint, Checkpoint start, TrainMonitor* monitor) {
  MPI_Comm comm = objective.comm();
  TrainOutcome out;
  out.parameters = std::move(start.parameters);
  out.history = std::move(start.history);
  std::vector<double>& w = out.parameters;
  std::vector<double> gradient(objective.dim());
  const double reference = fingerprint.reference_norm;
  double best = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < out.history.size(); ++k) best = std::min(best, out.history.residual[k]);

  CheckpointSeries checkpoints(s.checkpoint_path, s.checkpoint_keep, comm);
  const double t0 = MPI_Wtime();
  double last_print = t0;
  const PetscInt first = start.iteration;
  if (first == 0) optimizer.reset();
  const double first_residual = out.history.size() ? out.history.residual.back() : reference;
  out.reason = "reached -opt_max_it";
  for (PetscInt it = first; it < s.max_it; ++it) {
    if (s.checkpoint_every > 0 && it > first && it % s.checkpoint_every == 0 && all_finite(w))
      checkpoints.write({it, w, optimizer.state(), out.history, fingerprint,
                         monitor ? monitor->state() : CheckpointExtras{}, ""});

    const double loss = objective.value_and_gradient(w.data(), gradient.data());
    const double residual = euclidean_norm(gradient);
    out.history.add(static_cast<double>(it + 1), residual, loss);
    optimizer.note_loss(loss);
    if (!std::isfinite(residual) || !std::isfinite(loss)) {
      out.diverged = true;
      out.reason = "diverged: non-finite gradient at evaluation " + std::to_string(it + 1);
      break;
    }
    if (monitor && !monitor->observe(it + 1, w, loss)) {
      out.stopped = true;
      out.reason = monitor->stop_reason();
      break;
    }
    if (residual <= s.rtol * reference) {
      out.converged = true;
      out.reason = "converged after " + std::to_string(it + 1) + " gradient evaluations";
      break;
    }
    if (optimizer.at_cycle_end()) {
      best = std::min(best, residual);
      if (residual > s.divergence_factor * best) {
        out.diverged = true;
        char text[200];
        std::snprintf(text, sizeof text,
                      "diverged: the residual grew to %.3g times its best by evaluation %d (lower the rates)",
                      residual / best, static_cast<int>(it + 1));
        out.reason = text;
        break;
      }
    }
    const double now = MPI_Wtime();
    if (!s.quiet && now - last_print >= s.progress_seconds) {
      const double done = static_cast<double>(it + 1 - first), speed = done / (now - t0);
      // The sooner of -opt_max_it and the tolerance extrapolated from the log-residual decrease per iteration.
      const double per_it = std::log(first_residual / residual) / done;
      const double to_tolerance = per_it > 0 ? std::log(residual / (s.rtol * reference)) / per_it : INFINITY;
      const double eta = std::min(to_tolerance, static_cast<double>(s.max_it - it - 1)) / speed;
      print_progress(comm, it + 1, loss, residual / reference, optimizer.current_rate(), speed, eta);
      last_print = now;
    }
    optimizer.step(w, gradient);
  }
  return out;
}

}  // namespace msopt
