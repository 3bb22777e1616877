// What `msopt train` watches every -track_every evaluations besides the loss:
// the sharpness lambda_max(H) (edge of stability), the accuracy on the
// training data and the loss and accuracy on a test set, and the parameters
// saved the first time the test accuracy reaches given levels (the training
// stages of the MrGD paper's Figs 1, 2 and 4). Rows go to a CSV as they come
// (nothing lost on a crash), into checkpoints and, at the end, beside the history.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/model_registry.hpp"
#include "msopt/optim/history.hpp"
#include "msopt/train/trainer.hpp"

namespace msopt {

struct TrackSettings {
  PetscInt every = 0;
  bool sharpness = false;
  std::string test_file;
  std::vector<double> save_at_accuracy;  // test-accuracy levels in (0, 1]
  std::string csv;                       // rows as they come
  // -track_every, -track_sharpness, -track_test, -track_save_at_accuracy, -track_out.
  static TrackSettings from_options(Options& options, const std::string& history_out);
  void declare_files(RunFiles& files) const;  // -track_test, the CSV and the stage snapshots
};

// A TrainMonitor: it records at the iterates w_k with k a multiple of
// -track_every (k = evaluations before w_k's own), and its rows travel in
// the checkpoints, so a resumed run keeps them.
class TrainTracker : public TrainMonitor {
 public:
  // Collective; loads the test set (the same `model`, its own rows; inputs of
  // `data_dim`). `resumed`: append to the CSV and keep the saved stages
  // instead of starting anew. `objective` is the trained one.
  TrainTracker(TrackSettings settings, Objective& objective, const ModelSpec& model, PetscInt data_dim, MPI_Comm comm,
               bool resumed);
  bool observe(PetscInt evaluation, const std::vector<double>& w, double loss) override;
  std::string stop_reason() const override { return ""; }
  // The rows so far as named arrays (track_evaluations, track_sharpness, ...).
  CheckpointExtras state() const override;
  // Takes back the rows of a checkpoint's state() (missing ones: none).
  void restore(const CheckpointExtras& extras);
  void add_to(HistoryLabel& label) const;

 private:
  void record(PetscInt evaluations, const std::vector<double>& w);
  void append_csv_row(const std::vector<double>& row) const;
  void save_stage(double level, PetscInt evaluations, double accuracy, const std::vector<double>& w) const;

  TrackSettings settings_;
  Objective& objective_;
  MPI_Comm comm_;
  Dataset test_data_;
  std::unique_ptr<Objective> test_model_;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;
  std::vector<bool> saved_;  // per save_at_accuracy level
};

}  // namespace msopt
