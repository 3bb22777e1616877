#include <gtest/gtest.h>

#include <cmath>

#include "mgdl/mgdl_test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/options.hpp"
#include "msopt/mgdl/grade_run.hpp"
#include "msopt/mgdl/multi_grade.hpp"
#include "msopt/optim/optimizer.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// Seeded weights with biases in (-0.25, 0.25), so that no layer is trivial.
std::vector<double> some_parameters(Mlp& net, std::uint64_t seed) {
  auto theta = net.initial_parameters(seed, "glorot");
  const CounterRng rng(seed + 99);
  for (PetscInt l = 0; l < net.num_layers(); ++l)
    for (PetscInt j = 0; j < net.widths()[l + 1]; ++j)
      theta[net.bias_offset(l) + j] = 0.5 * rng.uniform2(3, static_cast<std::uint64_t>(100 * l + j), 0)[0] - 0.25;
  return theta;
}

GradeRecord train_current(MultiGrade& multi, PetscInt iterations, std::uint64_t seed, const Dataset* validation) {
  ScopedOptions rate({{"-opt_lr", "0.05"}});
  Options o(PETSC_COMM_WORLD, "test", "");
  ProblemInfo info;
  info.dim = multi.current().dim();
  auto gd = create_step_optimizer("gd", o, info);
  GradeRunSettings s;
  s.train.rtol = 1e-300;
  s.train.max_it = iterations;
  s.train.quiet = true;
  s.keep_best = false;
  s.fingerprint = "test";
  GradeMonitor::Evaluate validation_loss;
  if (validation) validation_loss = [&](const std::vector<double>& w) { return multi.validation_loss(w); };
  return run_grade(multi.current(), multi.current().initial_parameters(seed, "he"), validation_loss, *gd, s);
}

}  // namespace

// gbar_L(x) = sum_l g_l(x_l) with x_{l+1} = H_l(x_l): MultiGrade against plain loops.
TEST(MultiGrade, CompositionEqualsTheSummedNetwork) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 200, 2);
  const std::vector<GradeWidths> grades{{2, 8, 6, 1}, {6, 5, 1}, {5, 4, 1}};
  MultiGrade multi(data, nullptr, grades, Activation::relu);
  std::vector<std::vector<double>> theta;
  for (size_t l = 0; l < grades.size(); ++l) {
    theta.push_back(some_parameters(multi.current(), 10 + l));
    if (l == 2) {  // before the last grade is frozen: the data of grade 3 are x_3 and e_3 = y - g_1 - g_2
      for (PetscInt i = 0; i < data.rows.count; ++i) {
        std::vector<double> h1, h2;
        const double g1 = naive_network(grades[0], theta[0].data(), data.row(i), Activation::relu, &h1);
        const double g2 = naive_network(grades[1], theta[1].data(), h1.data(), Activation::relu, &h2);
        EXPECT_NEAR(multi.current_data().y[i], data.y[i] - g1 - g2, 1e-12);
        for (size_t k = 0; k < h2.size(); ++k) EXPECT_NEAR(multi.current_data().row(i)[k], h2[k], 1e-12);
      }
    }
    multi.finish_grade(theta.back());
  }
  std::vector<double> f(data.rows.count);
  multi.predict(data.X.data(), data.rows.count, f.data());
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    std::vector<double> features(data.row(i), data.row(i) + 2), hidden;
    double sum = 0;
    for (size_t l = 0; l < grades.size(); ++l) {
      sum += naive_network(grades[l], theta[l].data(), features.data(), Activation::relu, &hidden);
      features = hidden;
    }
    EXPECT_NEAR(f[i], sum, 1e-12 * (1 + std::fabs(sum))) << "row " << data.rows.begin + i;
  }
}

TEST(MultiGrade, FrozenGradesNeverChangeWhileTheNextTrains) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 300, 1);
  MultiGrade multi(data, &data, {{1, 16, 1}, {16, 16, 1}}, Activation::relu);
  GradeRecord first = train_current(multi, 30, 1, nullptr);
  multi.finish_grade(first.parameters);
  const std::vector<double> frozen = multi.parameters(0), residual = multi.current_data().y;
  const HugePageVector features = multi.current_data().X;
  GradeRecord second = train_current(multi, 30, 2, &data);
  EXPECT_EQ(multi.parameters(0), frozen);
  EXPECT_EQ(multi.current_data().X, features);
  EXPECT_EQ(multi.current_data().y, residual);
  EXPECT_EQ(first.parameters, frozen);
  // The second grade did train: its loss fell, and the validation loss (here the training set) agrees.
  EXPECT_LT(second.train_loss.back(), second.train_loss.front());
  ASSERT_EQ(second.validation_loss.size(), second.train_loss.size());
  for (size_t k = 0; k < second.train_loss.size(); ++k)
    EXPECT_NEAR(second.validation_loss[k], second.train_loss[k], 1e-12 * second.train_loss[k]);
}

// One grade is the shallow network trained alone: bitwise the same iterates.
TEST(MultiGrade, OneGradeEqualsThePlainNetworkTrainedAlone) {
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 256, 1);
  MultiGrade multi(data, nullptr, {{1, 16, 1}}, Activation::relu);
  GradeRecord record = train_current(multi, 40, 7, nullptr);

  Mlp plain(data, {1, 16, 1}, {Activation::relu}, MlpLoss::least_squares);
  ScopedOptions rate({{"-opt_lr", "0.05"}});
  Options o(PETSC_COMM_WORLD, "test", "");
  ProblemInfo info;
  info.dim = plain.dim();
  auto gd = create_step_optimizer("gd", o, info);
  TrainSettings s;
  s.rtol = 1e-300;
  s.max_it = 40;
  s.quiet = true;
  Checkpoint start;
  start.parameters = plain.initial_parameters(7, "he");
  TrainOutcome outcome = train(plain, *gd, s, {0, double(plain.dim()), 1, "gd"}, std::move(start));
  EXPECT_EQ(record.parameters, outcome.parameters);
  EXPECT_EQ(record.train_loss, outcome.history.loss);
}

// The same grades on one rank (PETSC_COMM_SELF, every row) and on all ranks agree to round-off.
TEST(MultiGrade, ResultsDoNotDependOnTheNumberOfRanks) {
  auto run = [](MPI_Comm comm) {
    const Dataset data = smooth_dataset(comm, 257, 1);
    MultiGrade multi(data, nullptr, {{1, 12, 1}, {12, 12, 1}}, Activation::relu);
    std::vector<double> all;
    for (int l = 0; l < 2; ++l) {
      ScopedOptions rate({{"-opt_lr", "0.1"}});
      Options o(comm, "test", "");
      ProblemInfo info;
      info.dim = multi.current().dim();
      auto gd = create_step_optimizer("gd", o, info);
      GradeRunSettings s;
      s.train.rtol = 1e-300;
      s.train.max_it = 50;
      s.train.quiet = true;
      s.fingerprint = "test";
      GradeRecord r = run_grade(multi.current(), multi.current().initial_parameters(3 + l, "he"), {}, *gd, s);
      multi.finish_grade(r.parameters);
      all.insert(all.end(), r.parameters.begin(), r.parameters.end());
      all.insert(all.end(), r.train_loss.begin(), r.train_loss.end());
    }
    return all;
  };
  const auto serial = run(PETSC_COMM_SELF), parallel = run(PETSC_COMM_WORLD);
  ASSERT_EQ(serial.size(), parallel.size());
  for (size_t k = 0; k < serial.size(); ++k) EXPECT_NEAR(parallel[k], serial[k], 1e-11 * (1 + std::fabs(serial[k]))) << k;
}

TEST(MultiGrade, RefusesGradesThatDoNotConnect) {
  EXPECT_THROW(parse_grades("1-32-1,16-32-1"), Error);  // grade 2 takes 16, grade 1 gives 32
  EXPECT_THROW(parse_grades("1-1,1-4-1"), Error);       // grade 1 has no hidden layer
  EXPECT_THROW(parse_grades("1-32-2"), Error);          // least squares: one output
  EXPECT_THROW(parse_grades("1-x-1"), Error);
  EXPECT_THROW(parse_grades("1-32-1,"), Error);
  const auto grades = parse_grades("1-32-1,32-32-32-1");
  EXPECT_EQ(grades_text(grades), "1-32-1,32-32-32-1");
  EXPECT_EQ(grade_parameter_count(grades[1]), 33 * 32 + 33 * 32 + 33);
  const Dataset data = smooth_dataset(PETSC_COMM_WORLD, 10, 2);
  EXPECT_THROW(MultiGrade(data, nullptr, grades, Activation::relu), Error);  // data have d = 2
}
