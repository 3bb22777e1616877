#include "msopt/mgdl/grade_run.hpp"
#include "msopt/core/vector_norm.hpp"

#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

GradeRecord run_grade(Objective& objective, std::vector<double> start, GradeMonitor::Evaluate validation_loss,
                      StepOptimizer& optimizer, const GradeRunSettings& settings) {
  MPI_Comm comm = objective.comm();
  std::vector<double> gradient(objective.dim());
  objective.value_and_gradient(start.data(), gradient.data());
  // ||grad L_l(W_l^0)||: the tolerance's reference, and part of the fingerprint.
  const ProblemFingerprint fingerprint{0, static_cast<double>(objective.dim()), euclidean_norm(gradient),
                                       settings.fingerprint, settings.settings, settings.overrides};
  GradeMonitorSettings monitor_settings = settings.monitor;
  monitor_settings.eta = optimizer.current_rate();
  GradeMonitor monitor(objective, validation_loss, monitor_settings);

  Checkpoint first = start_or_resume(std::move(start), settings.resume, settings.train.checkpoint_path, comm,
                                     fingerprint, optimizer, "mgdl");
  if (first.iteration > 0) monitor.restore(first.extras);  // resumed
  TrainOutcome outcome = train(objective, optimizer, settings.train, fingerprint, std::move(first), &monitor);

  GradeRecord record;
  record.train_loss = std::move(outcome.history.loss);
  record.gradient_norm = std::move(outcome.history.residual);
  record.validation_loss = monitor.validation_history();
  record.best_evaluation = static_cast<double>(monitor.best_evaluation());
  record.spectra = monitor.spectra();
  record.reason = outcome.reason;
  record.diverged = outcome.diverged;
  const bool best = settings.keep_best && !monitor.best_parameters().empty() && !outcome.diverged;
  record.parameters = best ? monitor.best_parameters() : std::move(outcome.parameters);
  if (best) record.reason += "; kept the best-validation iterate (evaluation " +
                             std::to_string(monitor.best_evaluation()) + ")";
  return record;
}

}  // namespace msopt
