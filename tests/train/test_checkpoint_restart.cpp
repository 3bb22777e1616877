#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include <unistd.h>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

class RestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = generate_multiscale(small_spec(1500, {6, 4}, {1, 0.0316227766}, true), PETSC_COMM_WORLD);
    f = std::make_unique<QuadraticLeastSquares>(data);
    MatHandle dense = create_covariance_dense(data);
    info.dim = data.dim;
    info.groups = compute_spectrum(dense, SpectrumSettings{}).groups;
    dir = shared_temp_dir(PETSC_COMM_WORLD);
  }

  ProblemFingerprint fingerprint(const std::string& type) const {
    return {double(data.n_global), double(data.dim), f->rhs_norm(), type};
  }

  TrainOutcome run(const std::string& type, PetscInt max_it, PetscInt every, const std::string& restart) {
    Options o(PETSC_COMM_WORLD, "test", "");
    auto optimizer = create_step_optimizer(type, o, info);
    TrainSettings s;
    s.rtol = 1e-300;  // run to max_it
    s.max_it = max_it;
    s.checkpoint_every = every;
    s.checkpoint_path = dir + "/ck.h5";
    s.quiet = true;
    Checkpoint start;
    start.parameters.assign(data.dim, 0.0);
    if (!restart.empty()) {
      start = resume_checkpoint(restart, PETSC_COMM_WORLD, fingerprint(type)).checkpoint;
      optimizer->set_state(start.optimizer_state);
    }
    return train(*f, *optimizer, s, fingerprint(type), std::move(start));
  }

  Dataset data;
  std::unique_ptr<QuadraticLeastSquares> f;
  ProblemInfo info;
  std::string dir;
};

TEST_F(RestartTest, StoppedAndResumedRunEndsBitwiseEqual) {
  for (const char* type : {"mrgd", "heavyball", "nesterov", "gd", "adam"}) {
    auto straight = run(type, 230, 0, "");
    run(type, 150, 47, "");  // "killed" after evaluation 150; last checkpoint at 141, mid-cycle for MrGD
    auto resumed = run(type, 230, 0, dir + "/ck.h5");
    ASSERT_EQ(resumed.parameters.size(), straight.parameters.size());
    EXPECT_EQ(0, std::memcmp(resumed.parameters.data(), straight.parameters.data(),
                             straight.parameters.size() * sizeof(double)))
        << type;
    EXPECT_EQ(resumed.history.residual, straight.history.residual) << type;
  }
}

TEST_F(RestartTest, RefusesACheckpointOfAnotherProblemOrMethod) {
  run("mrgd", 60, 50, "");
  const std::string file = CheckpointSeries::numbered(dir + "/ck.h5", 50);
  auto other = fingerprint("mrgd");
  other.reference_norm *= 1.01;
  EXPECT_NO_THROW(read_checkpoint(file, PETSC_COMM_WORLD, fingerprint("mrgd")));
  EXPECT_THROW(read_checkpoint(file, PETSC_COMM_WORLD, other), Error);
  EXPECT_THROW(read_checkpoint(file, PETSC_COMM_WORLD, fingerprint("gd")), Error);
  EXPECT_THROW(resume_checkpoint(dir + "/absent.h5", PETSC_COMM_WORLD, fingerprint("mrgd")), Error);
}

TEST_F(RestartTest, KeepsTheNewestCheckpointsOnly) {
  run("gd", 100, 10, "");  // checkpoints at 10, 20, ..., 90; two kept
  auto files = CheckpointSeries::existing(dir + "/ck.h5", PETSC_COMM_WORLD);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], CheckpointSeries::numbered(dir + "/ck.h5", 90));
  EXPECT_EQ(files[1], CheckpointSeries::numbered(dir + "/ck.h5", 80));
}

// Flips one byte in the middle of the newest checkpoint's parameters (or cuts
// the file short): the resume falls back to the previous one and still ends
// bitwise equal to an uninterrupted run.
TEST_F(RestartTest, DamagedNewestCheckpointFallsBackToThePreviousOne) {
  auto straight = run("mrgd", 200, 0, "");
  for (bool truncate : {false, true}) {
    run("mrgd", 130, 20, "");  // checkpoints at 120 (newest) and 100
    const std::string newest = CheckpointSeries::numbered(dir + "/ck.h5", 120);
    int rank = 0;
    MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
    if (rank == 0) {
      if (truncate) {
        ASSERT_EQ(0, ::truncate(newest.c_str(), 1500));
      } else {  // corrupt one stored parameter: the checksum must notice
        H5File file = H5File::open(newest, PETSC_COMM_SELF);
        auto values = file.read_array("parameters");
        hid_t fid = H5Fopen(newest.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t set = H5Dopen2(fid, "parameters", H5P_DEFAULT);
        values[3] = std::nextafter(values[3], 1e300);
        H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        H5Dclose(set);
        H5Fclose(fid);
      }
    }
    MPI_Barrier(PETSC_COMM_WORLD);
    Resumed resumed = resume_checkpoint(dir + "/ck.h5", PETSC_COMM_WORLD, fingerprint("mrgd"));
    EXPECT_EQ(resumed.checkpoint.iteration, 100) << (truncate ? "truncated" : "corrupted");
    auto finished = run("mrgd", 200, 0, dir + "/ck.h5");
    EXPECT_EQ(0, std::memcmp(finished.parameters.data(), straight.parameters.data(),
                             straight.parameters.size() * sizeof(double)));
  }
}

TEST_F(RestartTest, DivergenceStopsAndKeepsTheLastGoodCheckpoint) {
  ScopedOptions too_large{{"-opt_lr", "3.0"}};
  auto out = run("gd", 100000, 5, "");
  EXPECT_TRUE(out.diverged);
  EXPECT_FALSE(out.converged);
  EXPECT_NE(out.reason.find("diverged"), std::string::npos);
  Checkpoint last = resume_checkpoint(dir + "/ck.h5", PETSC_COMM_WORLD, fingerprint("gd")).checkpoint;
  for (double v : last.parameters) EXPECT_TRUE(std::isfinite(v));
  EXPECT_LT(last.iteration, static_cast<PetscInt>(out.history.size()));
}
