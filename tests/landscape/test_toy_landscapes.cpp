// The toy landscapes of the landscape paper: gradients and Hessians against
// finite differences, the closed forms of Secs. 4 and 6 (f1'', the
// piecewise loss of the 3-neuron model, eq. 6.2 as the limit of many data),
// the 2-periodic orbit of Lemma 4.1 / Theorem 4.1, the step curvature 2/eta on
// it, the quasistatic rest point of eq. (4.8), and the rate schedules.
#include <gtest/gtest.h>

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/landscape/gd_trajectory.hpp"
#include "msopt/landscape/periodic_orbit.hpp"
#include "msopt/landscape/quasistatic_valley.hpp"
#include "msopt/landscape/scalar_profiles.hpp"
#include "msopt/landscape/toy_landscape.hpp"

using namespace msopt;

namespace {

std::unique_ptr<ToyLandscape> model(const std::string& name) {
  ToyLandscapeSpec spec;
  spec.name = name;
  spec.inputs = {1, 10, 100};
  return create_toy_landscape(spec);
}

LrSchedule constant(double eta) {
  LrSchedule s;
  s.rates = {eta};
  return s;
}

// Central differences of the value (gradient) and of the gradient (Hessian).
void expect_derivatives(const ToyLandscape& f, const std::vector<double>& x) {
  const double h = 1e-6;
  const LandscapeJet jet = f.evaluate(x);
  const int d = f.dim();
  for (int k = 0; k < d; ++k) {
    std::vector<double> p = x, m = x;
    p[k] += h;
    m[k] -= h;
    const LandscapeJet jp = f.evaluate(p), jm = f.evaluate(m);
    const double scale = 1 + std::fabs(jet.gradient[k]);
    EXPECT_NEAR(jet.gradient[k], (jp.value - jm.value) / (2 * h), 1e-6 * scale) << "gradient " << k;
    for (int l = 0; l < d; ++l)
      EXPECT_NEAR(jet.hessian[l * d + k], (jp.gradient[l] - jm.gradient[l]) / (2 * h),
                  1e-5 * (1 + std::fabs(jet.hessian[l * d + k])))
          << "Hessian " << l << "," << k;
  }
}

}  // namespace

TEST(ToyLandscapes, DerivativesMatchFiniteDifferences) {
  const std::vector<std::vector<double>> one_d = {{-5}, {-0.2}, {0.05}, {0.7}, {3.3}};
  const std::vector<std::vector<double>> two_d = {{-3, 3}, {0.4, -0.1}, {1, 1}, {-20, 3}, {2.2, 0.05}, {-0.07, 0.9}};
  for (const auto& name : toy_landscape_names()) {
    auto f = model(name);
    for (const auto& x : f->dim() == 1 ? one_d : two_d) {
      SCOPED_TRACE(name + " at x1 = " + std::to_string(x[0]));
      expect_derivatives(*f, x);
    }
  }
}

TEST(ToyLandscapes, F1IsSubquadraticWithCurvatureOneAtZero) {
  // f1'' = 1/(1 + |x|) (Fig. 4.1): decreasing in |x|, 1 at the minimum.
  for (double x : {0.0, 0.5, -2.0, 9.0}) EXPECT_NEAR(f1_profile(x).d2, 1 / (1 + std::fabs(x)), 1e-15);
  EXPECT_EQ(f1_profile(0).value, 0);
  EXPECT_NEAR(f1_profile(std::exp(1) - 1).d1, 1, 1e-15);
}

TEST(ToyLandscapes, Relu3LossIsThePiecewiseQuadraticOfSection6) {
  // x_1 <= x_2 <= x_3: L = (1/n sum_{i<=k} x_i^2) w^2 + (n-k)/n on 1/x_{k+1} <= |w| <= 1/x_k.
  const std::vector<double> x = {1, 10, 100};
  EXPECT_NEAR(relu3_network(2.0, 0.3), std::fabs(2.0 * 0.3), 1e-15);  // |xw| inside [-1/x, 1/x]
  EXPECT_EQ(relu3_network(2.0, -0.8), 1);
  for (double w : {0.003, -0.004, 0.05, -0.07, 0.5, -0.9, 1.5, -3.0}) {
    const double a = std::fabs(w);
    int k = 3;
    while (k > 0 && a > 1 / x[k - 1]) --k;
    double sum = 0;
    for (int i = 0; i < k; ++i) sum += x[i] * x[i];
    EXPECT_NEAR(relu3_loss_profile(w, x).value, sum / 3 * w * w + (3.0 - k) / 3, 1e-13) << "w = " << w;
  }
}

TEST(ToyLandscapes, PopulationLossIsTheLimitOfManyUniformData) {
  // Eq. (6.2): the empirical loss of data filling [0, C] evenly tends to the population loss.
  const double C = 3;
  std::vector<double> x;
  for (int i = 0; i < 30000; ++i) x.push_back(C * (i + 0.5) / 30000);
  for (double w : {0.1, -0.3, 0.34, 1.0, -4.0}) {
    EXPECT_NEAR(relu3_loss_profile(w, x).value, population_profile(w, C).value, 1e-4) << "w = " << w;
    EXPECT_NEAR(relu3_loss_profile(w, x).d1, population_profile(w, C).d1, 1e-3) << "w = " << w;
  }
  EXPECT_NEAR(population_profile(1 / C, C).value, 1.0 / 3, 1e-15);  // the pieces meet at |w| = 1/C
}

TEST(PeriodicOrbit, GdOnF1SettlesOnTheOrbitOfLemma41) {
  auto f1 = model("f1");
  double previous = 0;
  for (double eta : {2.5, 3.0, 5.0, 8.0}) {
    const double x_eta = two_periodic_point(*f1, eta);
    EXPECT_NEAR(eta * std::log1p(x_eta), 2 * x_eta, 1e-12 * x_eta);  // eta f1'(x_eta) = 2 x_eta
    EXPECT_GT(x_eta, previous);                                       // increasing in eta (Lemma 4.1)
    previous = x_eta;
    const GdTrajectory tr = run_gd(*f1, {-5}, constant(eta), 400);
    const OrbitSummary orbit = detect_orbit(tr, 20, 1e-9);
    EXPECT_EQ(orbit.period, 2) << "eta " << eta;
    EXPECT_NEAR(orbit.amplitude, x_eta, 1e-9) << "eta " << eta;
    // On the orbit the curvature along the step is 2/eta; the Hessian's is below (f'' decreasing).
    EXPECT_NEAR(tr.step_sharpness.back(), 2 / eta, 1e-9);
    EXPECT_LT(tr.sharpness.back(), 2 / eta);
  }
}

TEST(PeriodicOrbit, BelowTheThresholdGdConvergesAndTheQuadraticDiverges) {
  auto f1 = model("f1");
  EXPECT_EQ(two_periodic_point(*f1, 1.9), 0);  // eta < 2/f1''(0) = 2: no orbit (Theorem 4.1)
  const OrbitSummary below = detect_orbit(run_gd(*f1, {-5}, constant(1.9), 2000), 20, 1e-9);
  EXPECT_EQ(below.period, 1);
  EXPECT_LT(below.amplitude, 1e-9);
  // The quadratic with f1's curvature at 0 has no orbit: at eta = 2.5 GD blows up.
  const GdTrajectory q = run_gd(*model("quadratic"), {-5}, constant(2.5), 2000);
  EXPECT_TRUE(q.diverged);
  EXPECT_EQ(two_periodic_point(*model("quadratic"), 2.5), 0);
}

TEST(PeriodicOrbit, GdOnF3StaysBoundedAtEveryRate) {
  // Theorem 4.3: on a subquadratic function GD does not diverge, whatever the rate.
  for (double eta : {1.0, 10.0, 100.0}) {
    const GdTrajectory tr = run_gd(*model("f3"), {-3, 3}, constant(eta), 3000);
    EXPECT_FALSE(tr.diverged);
    const OrbitSummary tail = detect_orbit(tr, 1000, 0);
    EXPECT_LT(tail.amplitude, 10 * eta + 10) << "eta " << eta;
  }
}

TEST(Quasistatic, ValleyMotionStopsWhereTheMinimumIsFlatEnough) {
  // Eq. (4.8): x moves to flatter minima until eta h(x)^2 f1''(0) = 2, i.e.
  // 1 + a x = sqrt(eta / 2) (Remark 4.1: GD stops at a flat enough minimum).
  const double a = kValleyFlattening, eta = 3;
  const QuasistaticPath q = quasistatic_valley(a, eta, 1, 20000);
  const double rest = (std::sqrt(eta / 2) - 1) / a;
  for (size_t t = 1; t < q.x.size(); ++t) ASSERT_GE(q.x[t], q.x[t - 1]);
  EXPECT_LT(q.x.back(), rest);
  EXPECT_GT(q.x.back(), 0.9 * rest);
  // GD on the valley itself follows the same path (Fig. 4.2).
  const GdTrajectory tr = run_gd(*model("valley"), {1, 1}, constant(eta), 3000);
  EXPECT_NEAR(tr.iterates[2 * 3000], q.x[3000], 0.05 * rest);
}

TEST(LrSchedule, StepCosineLinearAndThePapersDrops) {
  LrSchedule s;
  s.kind = "step";
  s.rates = {1};
  s.milestones = {10, 20};
  s.gamma = 0.5;
  s.validate();
  EXPECT_EQ(s.at(9), 1);
  EXPECT_EQ(s.at(10), 0.5);
  EXPECT_EQ(s.at(25), 0.25);
  s.kind = "paper";  // Fig. 4.1 left: 5 -> 3 -> 1 at steps 100 and 150
  s.rates = {5, 3, 1};
  s.milestones = {100, 150};
  s.validate();
  EXPECT_EQ(s.at(99), 5);
  EXPECT_EQ(s.at(100), 3);
  EXPECT_EQ(s.at(150), 1);
  s.kind = "cosine";
  s.rates = {2};
  s.milestones.clear();
  s.final_rate = 0.2;
  s.total_steps = 100;
  EXPECT_DOUBLE_EQ(s.at(0), 2);
  EXPECT_DOUBLE_EQ(s.at(50), 1.1);
  EXPECT_DOUBLE_EQ(s.at(100), 0.2);
  s.kind = "linear";
  EXPECT_DOUBLE_EQ(s.at(25), 1.55);
  EXPECT_DOUBLE_EQ(s.at(100), 0.2);
  s.kind = "paper";
  s.rates = {5, 3};
  EXPECT_THROW(s.validate(), Error);  // two rates need one milestone
}
