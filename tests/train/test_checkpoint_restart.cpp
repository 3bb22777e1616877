#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "msopt/core/error.hpp"
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
    auto optimizer = create_optimizer(type, o, info);
    TrainSettings s;
    s.rtol = 1e-300;  // run to max_it
    s.max_it = max_it;
    s.checkpoint_every = every;
    s.checkpoint_path = dir + "/ck.h5";
    s.quiet = true;
    Checkpoint start;
    start.parameters.assign(data.dim, 0.0);
    if (!restart.empty()) {
      start = read_checkpoint(restart, PETSC_COMM_WORLD, fingerprint(type));
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
  for (const char* type : {"mrgd", "heavyball", "nesterov", "gd"}) {
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
  auto other = fingerprint("mrgd");
  other.reference_norm *= 1.01;
  EXPECT_THROW(read_checkpoint(dir + "/ck.h5", PETSC_COMM_WORLD, other), Error);
  EXPECT_THROW(read_checkpoint(dir + "/ck.h5", PETSC_COMM_WORLD, fingerprint("gd")), Error);
  EXPECT_THROW(read_checkpoint(dir + "/absent.h5", PETSC_COMM_WORLD, fingerprint("mrgd")), Error);
}

TEST_F(RestartTest, DivergenceStopsAndKeepsTheLastGoodCheckpoint) {
  ScopedOptions too_large{{"-opt_lr", "3.0"}};
  auto out = run("gd", 100000, 5, "");
  EXPECT_TRUE(out.diverged);
  EXPECT_FALSE(out.converged);
  EXPECT_NE(out.reason.find("diverged"), std::string::npos);
  Checkpoint last = read_checkpoint(dir + "/ck.h5", PETSC_COMM_WORLD, fingerprint("gd"));
  for (double v : last.parameters) EXPECT_TRUE(std::isfinite(v));
  EXPECT_LT(last.iteration, static_cast<PetscInt>(out.history.size()));
}
