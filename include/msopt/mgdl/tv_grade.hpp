// Training one grade of the MGDL paper's TV reconstruction (Appendix C,
// eqs. (20)-(25)): the proximity-gradient algorithm of a TvObjective with an
// optimizer of the registry (Adam in the paper), the PSNR (eq. (34)) of the
// image g against the clean image recorded during training, and the
// auxiliary u saved in the trainer's checkpoints, so a resumed grade
// continues bitwise. grade_scale gives the normalisation eps_l of grade l.
#pragma once
#include <string>
#include <vector>

#include "msopt/mgdl/grade_monitor.hpp"
#include "msopt/mgdl/grade_record.hpp"
#include "msopt/mgdl/tv_objective.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"

namespace msopt {

// Collective: eps_l = RMS of the previous grades' data error,
//   sqrt(||f_hat - A g_prev||^2 / n),  A = nullptr the identity,
// the scale of what grade l still has to explain (eq. (24)'s eps_l).
double grade_scale(Vec f_hat, Mat A, Vec g_prev);

// Records the PSNR of the objective's image (that of the last gradient
// evaluation, i.e. of the iterate observed) against `clean` at evaluations
// 1, 1 + every, ...; and, with eigenvalues.eig_every > 0, the eigenvalues of
// I - eta H (Section 6, Figs 21-24; H in Theta at the current u). Its state()
// holds u and both histories.
class TvMonitor : public TrainMonitor {
 public:
  TvMonitor(TvObjective& objective, Vec clean, PetscInt every, const GradeMonitorSettings& eigenvalues = {});
  bool observe(PetscInt evaluation, const std::vector<double>& w, double loss) override;
  std::string stop_reason() const override { return {}; }
  CheckpointExtras state() const override;  // collective (gathers u)
  // Restores u and the history from state(); msopt::Error if it does not fit.
  void restore(const CheckpointExtras& extras);

  const std::vector<double>& evaluations() const { return evaluations_; }
  const std::vector<double>& psnr() const { return psnr_; }
  const IterationSpectra& spectra() const { return eigenvalues_.spectra(); }

 private:
  TvObjective& objective_;
  GradeMonitor eigenvalues_;  // no validation set: eigenvalues only
  Vec clean_;
  PetscInt every_;
  std::vector<double> evaluations_, psnr_;
};

struct TvGradeSettings {
  TrainSettings train;      // checkpoint_path: this grade's checkpoint base
  PetscInt psnr_every = 1;  // PSNR against the clean image every K evaluations
  GradeMonitorSettings eigenvalues;  // eig_every, eig_nev; eta is taken from the optimizer
  bool resume = false;      // continue from the newest checkpoint of train.checkpoint_path, if any
  std::string fingerprint;  // identifies task, model, grade and optimizer in checkpoints
  std::string settings;     // trajectory_settings of the run (compared on resume)
  std::vector<std::string> overrides;  // -restart_override
};

struct TvGradeOutcome {
  GradeRecord record;                        // parameters: the last iterate; spectra: I - eta H
  std::vector<double> psnr_evaluations, psnr;
};

// Collective. `start`: the grade's initial parameters (used unless resumed);
// u starts at 0 (or the checkpoint's u).
TvGradeOutcome run_tv_grade(TvObjective& objective, std::vector<double> start, Vec clean, StepOptimizer& optimizer,
                            const TvGradeSettings& settings);

}  // namespace msopt
