#include <gtest/gtest.h>
#include <zlib.h>

#include "msopt/core/error.hpp"
#include "msopt/train/checkpoint.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// A checkpoint of a run with `settings`, in its own folder; returns its -checkpoint_file.
std::string write_series(const std::string& settings) {
  const std::string base = shared_temp_dir(PETSC_COMM_WORLD) + "/ck.h5";
  Checkpoint c;
  c.iteration = 1;
  c.parameters = {1, 2};
  c.history.add(1, 0.5, 0.25);
  c.fingerprint = {10, 2, 1.5, "gd", settings, {}};
  CheckpointSeries(base, 2, PETSC_COMM_WORLD).write(c);
  return base;
}

ProblemFingerprint run_with(const std::string& settings, std::vector<std::string> overrides = {}) {
  return {10, 2, 1.5, "gd", settings, std::move(overrides)};
}

}  // namespace

// Run control (outputs, stopping) never matters; trajectory settings do, named in the error.
TEST(RestartSettings, TrajectorySettingsOnly) {
  const std::string text = trajectory_settings(
      {{"-opt_lr", "0.5"}, {"-history_out", "h.h5"}, {"-opt_max_it", "100"}, {"-track_every", "5"}}, "gd: rate 0.5\n");
  EXPECT_NE(text.find("-opt_lr\t0.5\n"), std::string::npos);
  EXPECT_EQ(text.find("-history_out"), std::string::npos);
  EXPECT_EQ(text.find("-opt_max_it"), std::string::npos);
  EXPECT_EQ(text.find("-track_every"), std::string::npos);
  EXPECT_NE(text.find("(optimizer)\tgd: rate 0.5 | \n"), std::string::npos);
}

TEST(RestartSettings, MismatchRefusedOverrideRecorded) {
  const std::string old_settings = trajectory_settings({{"-opt_lr", "0.5"}, {"-model_l2", "0"}}, "gd 0.5");
  const std::string new_settings = trajectory_settings({{"-opt_lr", "0.6"}, {"-model_l2", "0"}}, "gd 0.6");
  const std::string base = write_series(old_settings);
  EXPECT_NO_THROW(resume_checkpoint(base, PETSC_COMM_WORLD, run_with(old_settings)));
  try {
    resume_checkpoint(base, PETSC_COMM_WORLD, run_with(new_settings));
    ADD_FAILURE() << "a restart with another -opt_lr was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("option -opt_lr: 0.6, but the checkpoint"), std::string::npos) << e.what();
  }
  Resumed resumed = resume_checkpoint(base, PETSC_COMM_WORLD, run_with(new_settings, {"-opt_lr"}));
  EXPECT_EQ(resumed.checkpoint.overridden, "-opt_lr: 0.5 -> 0.6\n");
  // Same options, other rates (a spectrum of other groups): refused unless overridden.
  const std::string other_rates = trajectory_settings({{"-opt_lr", "0.5"}, {"-model_l2", "0"}}, "gd 0.7");
  EXPECT_THROW(resume_checkpoint(base, PETSC_COMM_WORLD, run_with(other_rates)), Error);
  EXPECT_NO_THROW(resume_checkpoint(base, PETSC_COMM_WORLD, run_with(other_rates, {"all"})));
}

// The dataset checksum is the CRC-32 of all rows (x_i, y_i) in order, whatever the number of ranks.
TEST(DatasetChecksum, SameOnAnyNumberOfRanks) {
  Dataset data = generate_multiscale(small_spec(37, {3, 2}, {1, 0.1}, true), PETSC_COMM_WORLD);
  const std::vector<double> X = gather_all(data, data.X, data.dim), y = gather_all(data, data.y, 1);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (PetscInt i = 0; i < data.n_global; ++i) {
    crc = crc32(crc, reinterpret_cast<const Bytef*>(&X[i * data.dim]), static_cast<uInt>(data.dim * sizeof(double)));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(&y[i]), sizeof(double));
  }
  EXPECT_EQ(dataset_checksum(data), static_cast<double>(crc));
}
