// What the trainer reports to MGDL while one grade trains: the validation
// loss at every iterate, early stopping on it (patience), the best-validation
// parameters, and every K iterations the eigenvalues of I - eta H (Section 6).
// Its state goes into the trainer's checkpoints, so a resumed grade
// continues bitwise.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/mgdl/grade_structure.hpp"
#include "msopt/mgdl/iteration_spectrum.hpp"
#include "msopt/train/trainer.hpp"

namespace msopt {

struct GradeMonitorSettings {
  PetscInt patience = 0;   // stop after this many evaluations without a better validation loss (0: never)
  PetscInt eig_every = 0;  // eigenvalues of I - eta H at evaluations 1, 1 + K, ... (0: never)
  PetscInt eig_nev = 10;
  double eta = 0;          // the learning rate of I - eta H

  // -mgdl_eig_every and -mgdl_eig_nev (`msopt mgdl` and `msopt restore`); the
  // SLEPc options -spec_eps_* reach the solver when eigenvalues are asked for.
  static GradeMonitorSettings from_options(Options& o);
  // msopt::Error naming -mgdl_eig_nev when a grade has fewer than 2 nev parameters.
  void check_eigenvalue_count(const std::vector<GradeWidths>& grades) const;
};

class GradeMonitor : public TrainMonitor {
 public:
  // validation_loss (may be empty): collective loss of the validation set at w.
  using Evaluate = std::function<double(const std::vector<double>& w)>;
  GradeMonitor(Objective& objective, Evaluate validation_loss, GradeMonitorSettings settings);

  bool observe(PetscInt evaluation, const std::vector<double>& w, double loss) override;
  std::string stop_reason() const override { return reason_; }
  CheckpointExtras state() const override;
  // Restores state() from a checkpoint (msopt::Error if it does not fit).
  void restore(const CheckpointExtras& extras);

  const std::vector<double>& validation_history() const { return validation_; }
  // The iterate with the lowest validation loss so far (empty without validation).
  const std::vector<double>& best_parameters() const { return best_; }
  PetscInt best_evaluation() const { return best_evaluation_; }
  const IterationSpectra& spectra() const { return spectra_; }

 private:
  Objective& objective_;
  Evaluate validation_loss_;
  GradeMonitorSettings settings_;
  std::vector<double> validation_, best_;
  PetscInt best_evaluation_ = 0;
  IterationSpectra spectra_;
  std::string reason_;
};

}  // namespace msopt
