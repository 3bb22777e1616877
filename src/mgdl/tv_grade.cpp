#include "msopt/mgdl/tv_grade.hpp"
#include "msopt/core/vector_norm.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/mgdl/psnr.hpp"

namespace msopt {

double grade_scale(Vec f_hat, Mat A, Vec g_prev) {
  VecHandle r;
  MSOPT_PETSC(VecDuplicate(f_hat, r.out()));
  if (A)
    MSOPT_PETSC(MatMult(A, g_prev, r));
  else
    MSOPT_PETSC(VecCopy(g_prev, r));
  MSOPT_PETSC(VecAYPX(r, -1.0, f_hat));  // f_hat - A g_prev
  PetscReal norm = 0;
  PetscInt n = 0;
  MSOPT_PETSC(VecNorm(r, NORM_2, &norm));
  MSOPT_PETSC(VecGetSize(r, &n));
  return norm / std::sqrt(static_cast<double>(n));
}

TvMonitor::TvMonitor(TvObjective& objective, Vec clean, PetscInt every, const GradeMonitorSettings& eigenvalues)
    : objective_(objective), eigenvalues_(objective, {}, eigenvalues), clean_(clean), every_(every) {
  require(every_ >= 1, "TvMonitor: the PSNR interval must be positive");
}

bool TvMonitor::observe(PetscInt evaluation, const std::vector<double>& w, double loss) {
  if ((evaluation - 1) % every_ == 0) {
    evaluations_.push_back(static_cast<double>(evaluation));
    psnr_.push_back(msopt::psnr(clean_, objective_.image()));
  }
  return eigenvalues_.observe(evaluation, w, loss);  // H v leaves u and the image as they were
}

CheckpointExtras TvMonitor::state() const {
  CheckpointExtras extras{{"tv_u", objective_.state()}, {"psnr_evaluations", evaluations_}, {"psnr", psnr_}};
  for (auto& entry : eigenvalues_.state()) extras.push_back(std::move(entry));
  return extras;
}

void TvMonitor::restore(const CheckpointExtras& extras) {
  require(extras.size() >= 3 && extras[0].first == "tv_u" && extras[1].first == "psnr_evaluations" &&
              extras[2].first == "psnr" && extras[1].second.size() == extras[2].second.size(),
          "the checkpoint holds no TV reconstruction state (u and the PSNR history)");
  objective_.set_state(extras[0].second);
  evaluations_ = extras[1].second;
  psnr_ = extras[2].second;
  eigenvalues_.restore(CheckpointExtras(extras.begin() + 3, extras.end()));
}

TvGradeOutcome run_tv_grade(TvObjective& objective, std::vector<double> start, Vec clean, StepOptimizer& optimizer,
                            const TvGradeSettings& settings) {
  MPI_Comm comm = objective.comm();
  // ||grad L_l(Theta^0, u = 0)|| without the prox step (u stays 0): the
  // tolerance's reference and part of the fingerprint.
  std::vector<double> gradient(objective.dim());
  objective.set_prox_each_gradient(false);
  objective.value_and_gradient(start.data(), gradient.data());
  objective.set_prox_each_gradient(true);
  const ProblemFingerprint fingerprint{0, static_cast<double>(objective.dim()), euclidean_norm(gradient),
                                       settings.fingerprint, settings.settings, settings.overrides};
  GradeMonitorSettings eigenvalues = settings.eigenvalues;
  eigenvalues.eta = optimizer.current_rate();
  TvMonitor monitor(objective, clean, settings.psnr_every, eigenvalues);

  Checkpoint first = start_or_resume(std::move(start), settings.resume, settings.train.checkpoint_path, comm,
                                     fingerprint, optimizer, "restore");
  if (first.iteration > 0) monitor.restore(first.extras);  // resumed
  TrainOutcome outcome = train(objective, optimizer, settings.train, fingerprint, std::move(first), &monitor);

  TvGradeOutcome out;
  out.record.train_loss = std::move(outcome.history.loss);
  out.record.gradient_norm = std::move(outcome.history.residual);
  out.record.reason = outcome.reason;
  out.record.diverged = outcome.diverged;
  out.record.parameters = std::move(outcome.parameters);
  out.record.spectra = monitor.spectra();
  out.psnr_evaluations = monitor.evaluations();
  out.psnr = monitor.psnr();
  return out;
}

}  // namespace msopt
