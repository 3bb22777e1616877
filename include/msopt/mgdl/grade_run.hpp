// Trains one grade (or a whole SGDL/MSDL network) with the existing trainer
// and an optimizer of the registry, watched by a GradeMonitor; resumes from
// the grade's newest checkpoint when asked. MGDL paper eq. (4): each grade
// is plain GD (or any registered optimizer) on its own loss (3).
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "msopt/mgdl/grade_monitor.hpp"
#include "msopt/mgdl/grade_record.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"

namespace msopt {

struct GradeRunSettings {
  TrainSettings train;            // checkpoint_path: this grade's checkpoint base
  GradeMonitorSettings monitor;   // eta is taken from the optimizer
  bool keep_best = true;          // with validation: freeze the best-validation iterate
  bool resume = false;            // continue from the newest checkpoint of train.checkpoint_path, if any
  std::string fingerprint;        // identifies model, grade and optimizer in checkpoints
  std::string settings;           // trajectory_settings of the run (compared on resume)
  std::vector<std::string> overrides;  // -restart_override
};

// Collective. `start` is the grade's initial parameters (used unless resumed).
GradeRecord run_grade(Objective& objective, std::vector<double> start, GradeMonitor::Evaluate validation_loss,
                      StepOptimizer& optimizer, const GradeRunSettings& settings);

}  // namespace msopt
