#include "msopt/mgdl/grade_monitor.hpp"

#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

GradeMonitorSettings GradeMonitorSettings::from_options(Options& o) {
  GradeMonitorSettings s;
  s.eig_every =
      o.nonnegative_integer("-mgdl_eig_every", 0, "eigenvalues of I - eta H every K iterations (Section 6; 0: never)");
  s.eig_nev = o.positive_integer("-mgdl_eig_nev", 10, "smallest and largest eigenvalues of I - eta H kept");
  if (s.eig_every > 0) o.uses_solver("eps", "spec_");
  return s;
}

void GradeMonitorSettings::check_eigenvalue_count(const std::vector<GradeWidths>& grades) const {
  if (eig_every == 0) return;
  for (const auto& widths : grades)
    require(2 * eig_nev <= grade_parameter_count(widths),
            "option -mgdl_eig_nev: 2 x " + std::to_string(eig_nev) + " eigenvalues, but grade " +
                grades_text({widths}) + " has only " + std::to_string(grade_parameter_count(widths)) + " parameters");
}

GradeMonitor::GradeMonitor(Objective& objective, Evaluate validation_loss, GradeMonitorSettings settings)
    : objective_(objective), validation_loss_(std::move(validation_loss)), settings_(settings) {
  spectra_.nev = settings_.eig_nev;
}

bool GradeMonitor::observe(PetscInt evaluation, const std::vector<double>& w, double /*loss*/) {
  if (settings_.eig_every > 0 && (evaluation - 1) % settings_.eig_every == 0)
    spectra_.add(static_cast<double>(evaluation), iteration_eigenvalues(objective_, w, settings_.eta, settings_.eig_nev));
  if (!validation_loss_) return true;
  const double v = validation_loss_(w);
  validation_.push_back(v);
  if (std::isfinite(v) && (best_.empty() || v < validation_[best_evaluation_ - 1])) {
    best_ = w;
    best_evaluation_ = evaluation;
  }
  if (settings_.patience > 0 && best_evaluation_ > 0 && evaluation - best_evaluation_ >= settings_.patience) {
    reason_ = "early stop: no better validation loss in " + std::to_string(settings_.patience) +
              " evaluations (best at evaluation " + std::to_string(best_evaluation_) + ")";
    return false;
  }
  return true;
}

CheckpointExtras GradeMonitor::state() const {
  return {{"validation_loss", validation_},
          {"best_parameters", best_},
          {"best_evaluation", {static_cast<double>(best_evaluation_)}},
          {"eig_evaluations", spectra_.evaluations},
          {"eig_smallest", spectra_.smallest},
          {"eig_largest", spectra_.largest}};
}

void GradeMonitor::restore(const CheckpointExtras& extras) {
  const CheckpointExtras expected = state();
  require(extras.size() == expected.size(), "the checkpoint holds no MGDL grade state");
  for (size_t k = 0; k < extras.size(); ++k)
    require(extras[k].first == expected[k].first, "the checkpoint's MGDL grade state is malformed");
  validation_ = extras[0].second;
  best_ = extras[1].second;
  require(extras[2].second.size() == 1, "the checkpoint's MGDL grade state is malformed");
  best_evaluation_ = static_cast<PetscInt>(extras[2].second[0]);
  spectra_.evaluations = extras[3].second;
  spectra_.smallest = extras[4].second;
  spectra_.largest = extras[5].second;
  const size_t rows = spectra_.evaluations.size() * static_cast<size_t>(spectra_.nev);
  require(spectra_.smallest.size() == rows && spectra_.largest.size() == rows &&
              (best_.empty() || static_cast<PetscInt>(best_.size()) == objective_.dim()) &&
              best_evaluation_ <= static_cast<PetscInt>(validation_.size()),
          "the checkpoint's MGDL grade state does not fit this run (-mgdl_eig_nev or the grade differ)");
}

}  // namespace msopt
