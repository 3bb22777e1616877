#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "msopt/optim/groups_chebyshev_schedule.hpp"
#include "msopt/optim/ksp_baseline.hpp"
#include "msopt/optim/mrgd.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/optim/tao_baseline.hpp"
#include "msopt/train/trainer.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

class OptimizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = generate_multiscale(small_spec(3000, {8, 4}, {1, 0.0316227766}, true), PETSC_COMM_WORLD);
    f = std::make_unique<QuadraticLeastSquares>(data);
    // Independent solution: LAPACK LU solve on the plain-loop covariance.
    auto A = naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim);
    solution = f->rhs();
    PetscBLASInt n = static_cast<PetscBLASInt>(data.dim), one = 1, info = 0;
    std::vector<PetscBLASInt> pivots(n);
    LAPACKgesv_(&n, &one, A.data(), &n, pivots.data(), solution.data(), &n, &info);
    ASSERT_EQ(info, 0);
    MatHandle dense = create_covariance_dense(data);
    info_.dim = data.dim;
    info_.groups = compute_spectrum(dense, SpectrumSettings{}).groups;
  }

  void expect_solution(const std::vector<double>& w, double tolerance) {
    double err = 0, ref = 0;
    for (size_t k = 0; k < w.size(); ++k) err += (w[k] - solution[k]) * (w[k] - solution[k]), ref += solution[k] * solution[k];
    EXPECT_LE(std::sqrt(err / ref), tolerance);
  }

  TrainOutcome run(const std::string& type, MPI_Comm comm, QuadraticLeastSquares& objective, PetscInt max_it,
                   double rtol) {
    Options o(comm, "test", "");
    auto optimizer = create_step_optimizer(type, o, info_);
    TrainSettings settings;
    settings.rtol = rtol;
    settings.max_it = max_it;
    settings.quiet = true;
    Checkpoint start;
    start.parameters.assign(data.dim, 0.0);
    return train(objective, *optimizer, settings, {double(data.n_global), double(data.dim), objective.rhs_norm(), type},
                 start);
  }

  Dataset data;
  std::unique_ptr<QuadraticLeastSquares> f;
  std::vector<double> solution;
  ProblemInfo info_;
};

TEST_F(OptimizerTest, EveryMethodSolvesTheNormalEquations) {
  for (const char* type : {"gd", "heavyball", "nesterov", "mrgd"}) {
    auto out = run(type, PETSC_COMM_WORLD, *f, 100000, 1e-10);
    EXPECT_TRUE(out.converged) << type << ": " << out.reason;
    expect_solution(out.parameters, 1e-7);
  }
}

TEST_F(OptimizerTest, MrgdNeedsFarFewerEvaluationsThanGd) {
  auto gd = run("gd", PETSC_COMM_WORLD, *f, 100000, 1e-8), mrgd = run("mrgd", PETSC_COMM_WORLD, *f, 100000, 1e-8);
  ASSERT_TRUE(gd.converged && mrgd.converged);
  EXPECT_LT(10 * mrgd.history.size(), gd.history.size());
}

TEST_F(OptimizerTest, KspBaselinesSolveTheNormalEquations) {
  MatHandle dense = create_covariance_dense(data);
  for (const char* type : {"cg", "chebyshev"}) {
    KspSettings s{type, 1e-10, 10000, info_.sigma_min(), info_.sigma_max()};
    auto out = run_ksp_baseline(dense, f->rhs(), s);
    EXPECT_TRUE(out.converged) << type << ": " << out.reason;
    EXPECT_LE(out.history.residual.back(), 1e-10 * f->rhs_norm());
    expect_solution(out.solution, 1e-7);
  }
}

TEST_F(OptimizerTest, TaoLbfgsSolvesTheNormalEquations) {
  // The line search needs the objective's changes above its round-off: 1e-8 relative
  // gradient, so the solution is good to about kappa * 1e-8 (kappa ~ 1.5e3 here).
  TaoSettings s{"lmvm", 1e-8 * f->rhs_norm(), 5000};
  auto out = run_tao_baseline(*f, std::vector<double>(data.dim, 0.0), s);
  EXPECT_TRUE(out.converged) << out.reason;
  EXPECT_LE(out.history.residual.back(), 1e-8 * f->rhs_norm());
  EXPECT_EQ(out.history.evaluations.back(), static_cast<double>(out.history.size()));
  expect_solution(out.solution, 1e-4);
}

// With a constant gradient g, bias correction makes every Adam step exactly
// rate * g / (|g| + epsilon) (Kingma & Ba, Algorithm 1).
TEST(Adam, StepsMatchTheClosedFormForAConstantGradient) {
  ScopedOptions options{{"-opt_lr", "0.01"}, {"-adam_epsilon", "1e-3"}};
  Options o(PETSC_COMM_WORLD, "test", "");
  ProblemInfo info;
  info.dim = 2;
  auto adam = create_step_optimizer("adam", o, info);
  std::vector<double> w{0, 0}, g{2, -3};
  for (int step = 1; step <= 3; ++step) {
    adam->step(w, g);
    EXPECT_NEAR(w[0], -step * 0.01 * 2 / (2 + 1e-3), 1e-15);
    EXPECT_NEAR(w[1], step * 0.01 * 3 / (3 + 1e-3), 1e-15);
  }
  EXPECT_EQ(adam->state().size(), 5u);
}

TEST_F(OptimizerTest, ResultsAgreeAcrossRankCounts) {
  Dataset whole = generate_multiscale(small_spec(3000, {8, 4}, {1, 0.0316227766}, true), PETSC_COMM_SELF);
  QuadraticLeastSquares f_whole(whole);
  for (const char* type : {"gd", "heavyball", "nesterov", "mrgd", "adam"}) {
    auto split = run(type, PETSC_COMM_WORLD, *f, 400, 1e-300), single = run(type, PETSC_COMM_SELF, f_whole, 400, 1e-300);
    double err = 0, ref = 0;
    for (PetscInt k = 0; k < data.dim; ++k) {
      err += std::pow(split.parameters[k] - single.parameters[k], 2);
      ref += std::pow(single.parameters[k], 2);
    }
    EXPECT_LE(std::sqrt(err / ref), 1e-12) << type;
  }
}

TEST_F(OptimizerTest, UnknownNamesAndBadRatesAreRefused) {
  Options o(PETSC_COMM_WORLD, "test", "");
  EXPECT_THROW(create_step_optimizer("sgd", o, info_), Error);
  ScopedOptions bad{{"-opt_lr", "-0.5"}, {"-mrgd_rates", "0.5,-1"}};
  EXPECT_THROW(create_step_optimizer("gd", o, info_), Error);
  EXPECT_THROW(create_step_optimizer("mrgd", o, info_), Error);
}

// -mrgd_refresh: the schedule is rebuilt at the first cycle end after K
// evaluations from the groups at the current point, and the state (cycle
// position and the schedule itself) continues a run exactly.
TEST_F(OptimizerTest, MrgdRefreshRebuildsAtCycleEndsAndRestartsExactly) {
  ScopedOptions options{{"-mrgd_refresh", "25"}};
  int calls = 0;
  ProblemInfo info = info_;
  std::vector<ScaleGroup> base = info_.groups;
  info.groups_at = [&](const std::vector<double>& w) {
    ++calls;
    // Groups that depend on the point, so every rebuild differs.
    std::vector<ScaleGroup> g = base;
    const double s = 1.0 + 0.1 * std::tanh(w[0]);
    for (auto& group : g) group.sigma_max *= s, group.sigma_min *= s;
    return g;
  };
  auto make = [&] {
    Options o(PETSC_COMM_WORLD, "test", "");
    return create_step_optimizer("mrgd", o, info);
  };
  auto gradient = [&](const std::vector<double>& w) {
    std::vector<double> g(w.size());
    f->value_and_gradient(w.data(), g.data());
    return g;
  };
  auto whole = make();
  const auto* mrgd = dynamic_cast<const MultirateGD*>(whole.get());
  ASSERT_NE(mrgd, nullptr);
  const PetscInt cycle = mrgd->schedule().steps_per_cycle();
  std::vector<double> w(data.dim, 0.0);
  PetscInt evaluations = 0, last_refresh = 0;
  for (int step = 0; step < 300; ++step) {
    const PetscInt before = mrgd->refreshes();
    whole->step(w, gradient(w));
    ++evaluations;
    if (mrgd->refreshes() != before) {
      EXPECT_TRUE(whole->at_cycle_end());
      EXPECT_GE(evaluations - last_refresh, 25);
      EXPECT_LT(evaluations - last_refresh, 25 + cycle + mrgd->schedule().steps_per_cycle());
      last_refresh = evaluations;
    }
  }
  EXPECT_GE(mrgd->refreshes(), 300 / (25 + 2 * cycle));
  EXPECT_EQ(calls, mrgd->refreshes());

  // The same 300 steps as 130, a restart from the state, and 170 more.
  auto first = make();
  std::vector<double> v(data.dim, 0.0);
  for (int step = 0; step < 130; ++step) first->step(v, gradient(v));
  auto second = make();
  second->set_state(first->state());
  for (int step = 130; step < 300; ++step) second->step(v, gradient(v));
  for (PetscInt k = 0; k < data.dim; ++k) EXPECT_EQ(v[k], w[k]) << k;

  // A state that is not a schedule is refused.
  auto state = first->state();
  state[2] = 0;
  EXPECT_THROW(second->set_state(state), Error);
}

// -mrgd_refresh on a constant Hessian whose eigenvalues are all known: the
// rebuild makes the schedule set-up made (the groups cut at their inner gaps,
// or the cycle at the eigenvalues), not the groups-only cycle.
TEST_F(OptimizerTest, MrgdRefreshOfAConstantHessianRebuildsTheSameSchedule) {
  ScopedOptions options{{"-mrgd_schedule", "groups_chebyshev"}, {"-mrgd_refresh", "1"}};
  MatHandle dense = create_covariance_dense(data);
  const Spectrum spectrum = compute_spectrum(dense, SpectrumSettings{});
  ASSERT_TRUE(spectrum.complete);
  ProblemInfo info = info_;
  info.eigenvalues = spectrum.eigenvalues;
  info.groups_at = [&](const std::vector<double>&) { return compute_spectrum(dense, SpectrumSettings{}).groups; };
  Options o(PETSC_COMM_WORLD, "test", "");
  auto optimizer = create_step_optimizer("mrgd", o, info);
  const auto* mrgd = dynamic_cast<const MultirateGD*>(optimizer.get());
  ASSERT_NE(mrgd, nullptr);
  const MultirateSchedule first = mrgd->schedule();
  // The eigenvalues change the schedule here, so a rebuild from the groups alone would differ.
  EXPECT_NE(first.rates, groups_chebyshev_schedule(info.groups, StepOrder::automatic, info.rtol).rates);
  std::vector<double> w(data.dim, 0.0), g(data.dim);
  for (PetscInt step = 0; step < first.steps_per_cycle(); ++step) {
    f->value_and_gradient(w.data(), g.data());
    optimizer->step(w, g);
  }
  ASSERT_EQ(mrgd->refreshes(), 1);
  EXPECT_EQ(mrgd->schedule().order, first.order);
  ASSERT_EQ(mrgd->schedule().rates.size(), first.rates.size());
  for (size_t i = 0; i < first.rates.size(); ++i) EXPECT_NEAR(mrgd->schedule().rates[i], first.rates[i], 1e-12 * first.rates[i]);
}

// The start's weights (train's gradient along the covariance's eigenvectors)
// that fail, or do not match the eigenvalues, stop set-up with an error; they
// do not pass for a cycle beyond its limits, which falls back to the groups.
TEST_F(OptimizerTest, MrgdStartWeightsThatFailAreAnError) {
  ScopedOptions options{{"-mrgd_schedule", "groups_chebyshev"}};
  MatHandle dense = create_covariance_dense(data);
  ProblemInfo info = info_;
  info.eigenvalues = compute_spectrum(dense, SpectrumSettings{}).eigenvalues;
  Options o(PETSC_COMM_WORLD, "test", "");
  info.start_weights = [&] { return std::vector<double>(info.eigenvalues.size() + 1, 1.0); };
  EXPECT_THROW(create_step_optimizer("mrgd", o, info), Error);
  info.start_weights = []() -> std::vector<double> { throw Error("no covariance"); };
  EXPECT_THROW(create_step_optimizer("mrgd", o, info), Error);
  info.start_weights = [&] { return std::vector<double>(info.eigenvalues.size(), 1.0); };
  EXPECT_NO_THROW(create_step_optimizer("mrgd", o, info));
}
