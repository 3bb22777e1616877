// The optimizer lifecycle (create -> set_from_options -> set_up -> solve ->
// view) of every -opt_type in the registry: bad option values refused at
// set-from-options, view showing what set-up chose (checked against LAPACK's
// eigenvalues), a second solve after set-up equal to the first, and one
// counting convention (the starting gradient is evaluation 1) for all.
#include <gtest/gtest.h>
#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>
#include <cstdio>

#include "msopt/core/error.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = generate_multiscale(small_spec(2000, {6, 4}, {1, 0.05}, true), PETSC_COMM_WORLD);
    f = std::make_unique<QuadraticLeastSquares>(data);
    // The extreme eigenvalues of the covariance by LAPACK, independently of SLEPc.
    auto A = naive_covariance(gather_all(data, data.X, data.dim), data.n_global, data.dim);
    PetscBLASInt n = static_cast<PetscBLASInt>(data.dim), lwork = 10 * n, info = 0;
    std::vector<double> eigenvalues(n), work(lwork);
    LAPACKsyev_("N", "U", &n, A.data(), &n, eigenvalues.data(), work.data(), &lwork, &info);
    ASSERT_EQ(info, 0);
    lambda_min = eigenvalues.front();
    lambda_max = eigenvalues.back();
    MatHandle dense = create_covariance_dense(data);
    problem.dim = data.dim;
    problem.groups = compute_spectrum(dense, SpectrumSettings{}).groups;
  }

  SolveTask task(double rtol) {
    SolveTask t;
    t.objective = f.get();
    t.start.assign(data.dim, 0.0);
    t.rtol = rtol;
    t.reference_norm = f->rhs_norm();
    t.max_it = 20000;
    t.normal_matrix = [this] { return create_covariance_dense(data); };
    t.rhs = f->rhs();
    t.run_steps = [this, rtol](StepOptimizer& stepping) {
      TrainSettings settings;
      settings.rtol = rtol;
      settings.max_it = 20000;
      settings.quiet = true;
      Checkpoint start;
      start.parameters.assign(data.dim, 0.0);
      TrainOutcome out = train(*f, stepping, settings,
                               {double(data.n_global), double(data.dim), f->rhs_norm(), stepping.type()}, start);
      return SolveOutcome{out.history, out.parameters, out.converged, out.diverged, out.reason};
    };
    return t;
  }

  std::unique_ptr<Optimizer> set_up(const std::string& type) {
    Options o(PETSC_COMM_WORLD, "test", "");
    auto optimizer = create_optimizer(type);
    optimizer->set_from_options(o);
    optimizer->set_up(problem);
    return optimizer;
  }

  Dataset data;
  std::unique_ptr<QuadraticLeastSquares> f;
  ProblemInfo problem;
  double lambda_min = 0, lambda_max = 0;
};

std::string formatted(const char* format, double a, double b = 0) {
  char text[200];
  std::snprintf(text, sizeof text, format, a, b);
  return text;
}

}  // namespace

TEST(OptimizerRegistry, HoldsEveryMethodAndTheBaselines) {
  EXPECT_EQ(optimizer_names(), (std::vector<std::string>{"adam", "cg", "gd", "heavyball", "ksp_chebyshev", "lbfgs", "mrgd",
                                                         "nesterov"}));
  EXPECT_EQ(optimizer_names(true), (std::vector<std::string>{"adam", "gd", "heavyball", "mrgd", "nesterov"}));
  for (const auto& name : optimizer_names()) EXPECT_EQ(create_optimizer(name)->type(), name);
  EXPECT_THROW(create_optimizer("sgd"), Error);
  Options o(PETSC_COMM_WORLD, "test", "");
  EXPECT_THROW(create_step_optimizer("cg", o, ProblemInfo{}), Error);  // not a stepping method
}

TEST_F(LifecycleTest, SetFromOptionsRefusesBadValuesBeforeSetUp) {
  const std::vector<std::pair<std::string, std::pair<const char*, const char*>>> bad = {
      {"gd", {"-opt_lr", "-1"}},          {"heavyball", {"-opt_momentum", "1.5"}},
      {"nesterov", {"-opt_lr", "0"}},     {"adam", {"-adam_beta1", "1"}},
      {"mrgd", {"-mrgd_eta", "0.5"}},     {"mrgd", {"-mrgd_counts", "3,-1"}},
      {"mrgd", {"-mrgd_kappa", "10"}}};  // kappa belongs to -mrgd_schedule chebyshev
  for (const auto& [type, option] : bad) {
    ScopedOptions given{{option.first, option.second}};
    Options o(PETSC_COMM_WORLD, "test", "");
    auto optimizer = create_optimizer(type);
    try {
      optimizer->set_from_options(o);
      ADD_FAILURE() << type << " accepted " << option.first << " " << option.second;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(option.first), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line: " << e.what();
    }
  }
}

TEST_F(LifecycleTest, SetUpWithoutTheSpectrumItNeedsNamesTheOption) {
  for (const char* type : {"gd", "heavyball", "nesterov", "mrgd", "ksp_chebyshev"}) {
    Options o(PETSC_COMM_WORLD, "test", "");
    auto optimizer = create_optimizer(type);
    optimizer->set_from_options(o);
    EXPECT_TRUE(optimizer->needs_spectrum()) << type;
    ProblemInfo without = problem;
    without.groups.clear();
    EXPECT_THROW(optimizer->set_up(without), Error) << type;
  }
  ScopedOptions given{{"-opt_lr", "0.5"}};
  Options o(PETSC_COMM_WORLD, "test", "");
  auto gd = create_optimizer("gd");
  gd->set_from_options(o);
  EXPECT_FALSE(gd->needs_spectrum());
}

// The classical parameters for a spectrum in [mu, L], from LAPACK's mu and L.
TEST_F(LifecycleTest, ViewShowsWhatSetUpChose) {
  const double L = lambda_max, mu = lambda_min;
  EXPECT_NE(set_up("gd")->view().find(formatted("rate %.6e", 2 / (L + mu))), std::string::npos)
      << set_up("gd")->view();
  const double root_kappa = std::sqrt(L / mu);
  EXPECT_NE(set_up("nesterov")->view().find(formatted("rate %.6e, momentum %.6f", 1 / L,
                                                      (root_kappa - 1) / (root_kappa + 1))),
            std::string::npos)
      << set_up("nesterov")->view();
  const double l = std::sqrt(L), m = std::sqrt(mu);
  EXPECT_NE(set_up("heavyball")->view().find(formatted("rate %.6e, momentum %.6f", 4 / ((l + m) * (l + m)),
                                                       std::pow((l - m) / (l + m), 2))),
            std::string::npos)
      << set_up("heavyball")->view();
  EXPECT_NE(set_up("mrgd")->view().find("steps per cycle"), std::string::npos);
  for (const auto& name : optimizer_names()) EXPECT_FALSE(set_up(name)->view().empty()) << name;
}

TEST_F(LifecycleTest, SecondSolveAfterSetUpGivesTheSameResult) {
  for (const auto& name : optimizer_names()) {
    auto optimizer = set_up(name);
    SolveTask t = task(1e-8);
    SolveOutcome first = optimizer->solve(t), second = optimizer->solve(t);
    EXPECT_TRUE(first.converged || name == "adam") << name << ": " << first.reason;
    ASSERT_EQ(first.history.size(), second.history.size()) << name;
    EXPECT_EQ(first.history.residual, second.history.residual) << name;
    EXPECT_EQ(first.solution, second.solution) << name;
  }
}

// Row k of every history is gradient evaluation k, the first one at the start
// (residual ||grad L(0)|| = ||b||), for the KSP and TAO baselines as for msopt's methods.
TEST_F(LifecycleTest, EveryMethodCountsTheStartingGradientAsEvaluationOne) {
  for (const auto& name : optimizer_names()) {
    auto optimizer = set_up(name);
    SolveTask t = task(1e-6);
    SolveOutcome out = optimizer->solve(t);
    ASSERT_GT(out.history.size(), 1u) << name;
    EXPECT_EQ(out.history.evaluations.front(), 1.0) << name;
    EXPECT_NEAR(out.history.residual.front(), f->rhs_norm(), 1e-12 * f->rhs_norm()) << name;
    for (size_t k = 1; k < out.history.size(); ++k)
      EXPECT_EQ(out.history.evaluations[k], out.history.evaluations[k - 1] + 1) << name << " row " << k;
  }
}
