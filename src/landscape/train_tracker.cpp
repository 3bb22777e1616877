#include "msopt/landscape/train_tracker.hpp"

#include <petscsys.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/landscape/sharpness.hpp"
#include "msopt/models/model_registry.hpp"

namespace msopt {

namespace {

std::string level_name(double level) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", level);
  return text;
}

}  // namespace

TrackSettings TrackSettings::from_options(Options& o, const std::string& history_out) {
  TrackSettings s;
  s.every = o.nonnegative_integer("-track_every", 0, "every K evaluations record the tracked quantities (0: off)");
  s.sharpness = o.flag("-track_sharpness", "track the sharpness lambda_max of the Hessian (SLEPc)");
  s.test_file = o.string("-track_test", "", "HDF5 test set: track its loss and accuracy");
  s.save_at_accuracy = o.real_list("-track_save_at_accuracy",
                                   "save the parameters when the test accuracy first reaches each level");
  const std::string fallback = history_out.empty() ? "track.csv" : path_stem(history_out) + "_track.csv";
  s.csv = o.string("-track_out", fallback, "CSV of the tracked rows (default beside -history_out)");
  if (o.help_requested()) return s;
  const bool any = s.sharpness || !s.test_file.empty();
  require(s.every == 0 || any, "option -track_every: nothing to track (add -track_sharpness or -track_test)");
  require(!any || s.every > 0, "options -track_sharpness/-track_test: give -track_every K");
  require(s.save_at_accuracy.empty() || !s.test_file.empty(), "option -track_save_at_accuracy: needs -track_test");
  for (double level : s.save_at_accuracy)
    require(level > 0 && level <= 1, "option -track_save_at_accuracy: levels must be in (0, 1]");
  return s;
}

void TrackSettings::declare_files(RunFiles& files) const {
  files.input("-track_test", test_file);
  files.output("-track_out", csv);
  for (double level : save_at_accuracy)
    files.output("-track_save_at_accuracy", path_stem(csv) + "_acc" + level_name(level) + ".h5");
}

TrainTracker::TrainTracker(TrackSettings settings, Objective& objective, const ModelSpec& model, PetscInt data_dim,
                           MPI_Comm comm, bool resumed)
    : settings_(std::move(settings)), objective_(objective), comm_(comm), saved_(settings_.save_at_accuracy.size()) {
  columns_ = {"evaluations", "train_accuracy"};
  if (settings_.sharpness) columns_.push_back("sharpness");
  if (!settings_.test_file.empty()) {
    test_data_ = read_dataset(settings_.test_file, comm);
    require(test_data_.dim == data_dim, "option -track_test: '" + settings_.test_file + "' has dimension " +
                                                    std::to_string(test_data_.dim) + ", the training data " +
                                                    std::to_string(data_dim));
    test_model_ = create_model(model, test_data_);
    columns_.insert(columns_.end(), {"test_loss", "test_accuracy"});
  }
  for (size_t k = 0; k < saved_.size(); ++k) {
    const std::string path = path_stem(settings_.csv) + "_acc" + level_name(settings_.save_at_accuracy[k]) + ".h5";
    saved_[k] = resumed && std::ifstream(path).good();
  }
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  int ok = 1;
  if (rank == 0 && !resumed) {
    std::ofstream out(settings_.csv, std::ios::trunc);
    for (size_t c = 0; c < columns_.size(); ++c) out << (c ? "," : "") << columns_[c];
    out << '\n';
    ok = out.good();
  }
  MSOPT_MPI(MPI_Bcast(&ok, 1, MPI_INT, 0, comm));
  require(ok, "cannot write '" + settings_.csv + "' (-track_out)");
}

bool TrainTracker::observe(PetscInt evaluation, const std::vector<double>& w, double) {
  if ((evaluation - 1) % settings_.every == 0) record(evaluation - 1, w);
  return true;
}

void TrainTracker::record(PetscInt evaluations, const std::vector<double>& w) {
  std::vector<double> row{static_cast<double>(evaluations), classification_accuracy(objective_, w)};
  std::string line = "  track: it " + std::to_string(evaluations);
  char text[96];
  if (settings_.sharpness) {
    row.push_back(sharpness(objective_, w));
    std::snprintf(text, sizeof text, "  sharpness %.5e", row.back());
    line += text;
  }
  if (test_model_) {
    std::vector<double> gradient(w.size());
    const double loss = test_model_->value_and_gradient(w.data(), gradient.data());
    const double accuracy = classification_accuracy(*test_model_, w);
    row.insert(row.end(), {loss, accuracy});
    std::snprintf(text, sizeof text, "  test loss %.5e  test accuracy %.4f", loss, accuracy);
    line += text;
    for (size_t k = 0; k < saved_.size(); ++k)
      if (!saved_[k] && accuracy >= settings_.save_at_accuracy[k]) {
        save_stage(settings_.save_at_accuracy[k], evaluations, accuracy, w);
        saved_[k] = true;
      }
  }
  PetscPrintf(comm_, "%s\n", line.c_str());
  rows_.push_back(row);
  append_csv_row(row);
}

void TrainTracker::append_csv_row(const std::vector<double>& row) const {
  int rank = 0;
  MPI_Comm_rank(comm_, &rank);
  int ok = 1;
  if (rank == 0) {
    std::ofstream out(settings_.csv, std::ios::app);
    out.precision(17);
    for (size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << row[c];
    out << '\n';
    ok = out.good();
  }
  MSOPT_MPI(MPI_Bcast(&ok, 1, MPI_INT, 0, comm_));
  require(ok, "cannot append to '" + settings_.csv + "' (-track_out)");
}

void TrainTracker::save_stage(double level, PetscInt evaluations, double accuracy, const std::vector<double>& w) const {
  const std::string path = path_stem(settings_.csv) + "_acc" + level_name(level) + ".h5";
  H5File file = H5File::create_atomic(path, comm_);
  file.write_array("parameters", w);
  file.write_attribute("evaluations", std::vector<double>{static_cast<double>(evaluations)});
  file.write_attribute("test_accuracy", std::vector<double>{accuracy});
  file.commit();
  PetscPrintf(comm_, "  track: test accuracy %.4f >= %.2f at evaluation %d: parameters saved to %s\n", accuracy, level,
              static_cast<int>(evaluations), path.c_str());
}

CheckpointExtras TrainTracker::state() const {
  CheckpointExtras columns;
  for (size_t c = 0; c < columns_.size(); ++c) {
    std::vector<double> values;
    for (const auto& row : rows_) values.push_back(row[c]);
    columns.emplace_back("track_" + columns_[c], values);
  }
  return columns;
}

void TrainTracker::restore(const CheckpointExtras& extras) {
  rows_.clear();
  std::vector<const std::vector<double>*> found;
  for (const auto& column : columns_)
    for (const auto& [name, values] : extras)
      if (name == "track_" + column) found.push_back(&values);
  if (found.size() != columns_.size()) return;  // a checkpoint of a run without the same tracking
  for (size_t r = 0; r < found.front()->size(); ++r) {
    std::vector<double> row;
    for (const auto* values : found) {
      require(r < values->size(), "the checkpoint's tracked columns differ in length");
      row.push_back((*values)[r]);
    }
    rows_.push_back(row);
  }
}

void TrainTracker::add_to(HistoryLabel& label) const {
  for (auto& column : state()) label.extra_arrays.push_back(std::move(column));
}

}  // namespace msopt
