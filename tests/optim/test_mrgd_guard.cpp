// MrGD's guard under -mrgd_refresh on a Hessian that moves: a cycle that
// raises the loss is undone (w back at the cycle's start, bit for bit) and the
// rates are capped at a quarter of the largest that cycle used; every kept cycle
// lowers the loss; the guard's state continues a run exactly.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "msopt/core/error.hpp"
#include "msopt/linalg/scale_groups.hpp"
#include "msopt/models/objective.hpp"
#include "msopt/optim/mrgd.hpp"
#include "msopt/optim/optimizer.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// f(w) = sum_k s_k (sqrt(1 + w_k^2) - 1): minimum 0 at w = 0, where the Hessian
// is diag(s); at w_k = 3 its curvature s_k / 31.6 sends a step 1/h_k to w_k = -27,
// where the loss is 9 times higher (Newton's step overshoots). Rank 0 holds it all.
class PseudoHuber : public Objective {
 public:
  explicit PseudoHuber(std::vector<double> scales) : scales_(std::move(scales)) {
    MPI_Comm_rank(PETSC_COMM_WORLD, &rank_);
  }
  PetscInt dim() const override { return static_cast<PetscInt>(scales_.size()); }
  MPI_Comm comm() const override { return PETSC_COMM_WORLD; }
  void local_value_and_gradient(const double* w, double* partial) override {
    const size_t d = scales_.size();
    std::fill(partial, partial + d + 1, 0.0);
    if (rank_ != 0) return;
    for (size_t k = 0; k < d; ++k) {
      const double root = std::sqrt(1 + w[k] * w[k]);
      partial[k] = scales_[k] * w[k] / root;
      partial[d] += scales_[k] * (root - 1);
    }
  }
  void local_hessian_vector(const double* w, const double* v, double* partial) override {
    for (size_t k = 0; k < scales_.size(); ++k) partial[k] = rank_ == 0 ? curvature(w, k) * v[k] : 0;
  }
  double local_hessian_vector_flops() const override { return 0; }
  double curvature(const double* w, size_t k) const { return scales_[k] / std::pow(1 + w[k] * w[k], 1.5); }
  // The Hessian's scale groups at w (diagonal: its eigenvalues are the curvatures).
  std::vector<ScaleGroup> groups_at(const std::vector<double>& w) const {
    std::vector<double> eigenvalues(scales_.size());
    for (size_t k = 0; k < scales_.size(); ++k) eigenvalues[k] = curvature(w.data(), k);
    std::sort(eigenvalues.rbegin(), eigenvalues.rend());
    return detect_scale_groups(eigenvalues, 10, 0);
  }

 private:
  std::vector<double> scales_;
  int rank_ = 0;
};

struct GuardRun {
  std::vector<double> w;
  double loss = 0, gradient_norm = 0;
  PetscInt evaluations = 0;
};

class MrgdGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    info.dim = f.dim();
    info.groups = f.groups_at(start);
    info.groups_at = [this](const std::vector<double>& w) { return f.groups_at(w); };
    info.hessian_moves = true;
    std::vector<double> g(start.size());
    f.value_and_gradient(start.data(), g.data());
    start_gradient_norm = std::sqrt(std::inner_product(g.begin(), g.end(), g.begin(), 0.0));
  }
  // MrGD with -mrgd_schedule `schedule`, rebuilt every 10 evaluations (chebyshev on
  // [sigma_1 / 1000, sigma_1]: the whole spectrum's cycles grow to 512 steps far out).
  std::unique_ptr<StepOptimizer> make(const std::string& schedule, bool guarded = true) {
    ProblemInfo problem = info;
    problem.hessian_moves = guarded;
    Options o(PETSC_COMM_WORLD, "test", "");
    if (schedule == "chebyshev") {
      ScopedOptions options{{"-mrgd_refresh", "10"}, {"-mrgd_schedule", schedule}, {"-mrgd_kappa", "1000"}};
      return create_step_optimizer("mrgd", o, problem);
    }
    ScopedOptions options{{"-mrgd_refresh", "10"}, {"-mrgd_schedule", schedule}};
    return create_step_optimizer("mrgd", o, problem);
  }
  // Steps from `run` until the gradient is 1e-8 of the start's or `limit`
  // evaluations, as msopt's trainer does; `each` sees every evaluation before its step.
  void advance(StepOptimizer& optimizer, GuardRun& run, PetscInt limit,
               const std::function<void(const GuardRun&)>& each = nullptr) {
    std::vector<double> g(run.w.size());
    while (run.evaluations < limit) {
      run.loss = f.value_and_gradient(run.w.data(), g.data());
      run.gradient_norm = std::sqrt(std::inner_product(g.begin(), g.end(), g.begin(), 0.0));
      ++run.evaluations;
      if (each) each(run);
      if (!std::isfinite(run.loss) || run.gradient_norm <= 1e-8 * start_gradient_norm) return;
      optimizer.note_loss(run.loss);
      optimizer.step(run.w, g);
    }
  }

  PseudoHuber f{{1, 0.8, 1e-2, 7e-3, 3e-4, 2e-4}};
  const std::vector<double> start = std::vector<double>(6, 3.0);
  double start_gradient_norm = 0;
  ProblemInfo info;
};

TEST_F(MrgdGuardTest, UndoesCyclesThatRaiseTheLossAndConverges) {
  for (const std::string schedule : {"theorem34", "groups_chebyshev", "chebyshev"}) {
    SCOPED_TRACE(schedule);
    // Without the guard the first cycle's overshoot compounds (rates from ever flatter
    // points): no convergence.
    if (schedule != "chebyshev") {  // on [sigma_1 / 1000, sigma_1] the overshoot recovers unguarded too
      auto optimizer = make(schedule, false);
      GuardRun run{start};
      try {  // the curvature underflows to 0 far out, where no spectrum has groups
        advance(*optimizer, run, 300);
      } catch (const Error&) {
      }
      EXPECT_FALSE(run.gradient_norm <= 1e-8 * start_gradient_norm);
    }
    auto optimizer = make(schedule);
    const auto* mrgd = dynamic_cast<const MultirateGD*>(optimizer.get());
    ASSERT_NE(mrgd, nullptr);
    auto top_rate = [&] {
      const auto& rates = mrgd->schedule().rates;
      return *std::max_element(rates.begin(), rates.end());
    };
    GuardRun run{start};
    std::vector<double> g(start.size()), cycle_start;
    double cycle_start_loss = 0, cycle_top = 0;
    PetscInt kept = 0;
    for (; run.evaluations < 3000; ++run.evaluations) {
      run.loss = f.value_and_gradient(run.w.data(), g.data());
      run.gradient_norm = std::sqrt(std::inner_product(g.begin(), g.end(), g.begin(), 0.0));
      if (run.gradient_norm <= 1e-8 * start_gradient_norm) break;
      optimizer->note_loss(run.loss);
      const bool at_end = optimizer->at_cycle_end();  // false where the guard is about to undo the cycle
      const PetscInt rejections = mrgd->rejections();
      const std::vector<double> before = run.w;
      optimizer->step(run.w, g);
      if (mrgd->rejections() > rejections) {  // undone: back at the cycle's start, rates capped
        EXPECT_FALSE(at_end);
        EXPECT_EQ(run.w, cycle_start);
        EXPECT_GT(run.loss, cycle_start_loss);
        EXPECT_LE(top_rate(), cycle_top / 4 * (1 + 1e-6));  // groups_chebyshev: margins of 1e-8
      } else if (at_end) {  // a cycle starts here; the one that ended here lowered the loss
        if (!cycle_start.empty() && before != cycle_start) {
          ++kept;
          EXPECT_LE(run.loss, cycle_start_loss * (1 + 1e-10));
        }
        cycle_start = before;
        cycle_start_loss = run.loss;
        cycle_top = top_rate();
      }
    }
    EXPECT_LE(run.gradient_norm, 1e-8 * start_gradient_norm) << "after " << run.evaluations;
    std::printf("  %s: %d evaluations, %d cycles undone\n", schedule.c_str(), static_cast<int>(run.evaluations),
                static_cast<int>(mrgd->rejections()));
    EXPECT_GE(mrgd->rejections(), 1);
    EXPECT_GE(kept, 10);
    for (double x : run.w) EXPECT_LE(std::abs(x), 1e-3);  // the minimum, not a far flat stretch
  }
}

// The guard's state (its cap, the cycle's start and loss) continues a run bit
// for bit from a point after its first rejection.
TEST_F(MrgdGuardTest, StateContinuesExactly) {
  auto whole = make("theorem34");
  const auto* mrgd = dynamic_cast<const MultirateGD*>(whole.get());
  ASSERT_NE(mrgd, nullptr);
  GuardRun straight{start};
  PetscInt stop = 0;  // a few evaluations after the first rejection, inside a cycle
  advance(*whole, straight, 400, [&](const GuardRun& r) {
    if (stop == 0 && mrgd->rejections() > 0) stop = r.evaluations + 3;
  });
  ASSERT_GT(stop, 0);

  GuardRun resumed{start};
  auto first = make("theorem34");
  advance(*first, resumed, stop);
  auto second = make("theorem34");
  second->set_state(first->state());
  advance(*second, resumed, 400);
  EXPECT_EQ(resumed.w, straight.w);
  EXPECT_EQ(resumed.evaluations, straight.evaluations);

  // A state written before the guard (the schedule's part only) is taken; a
  // cycle start of another size is not.
  std::vector<double> state = first->state();
  const size_t m = static_cast<size_t>(state[2]), guard = 4 + 2 * m + static_cast<size_t>(state[3 + 2 * m]);
  ASSERT_GT(state.size(), guard + 4);
  EXPECT_NO_THROW(second->set_state(std::vector<double>(state.begin(), state.begin() + guard)));
  state[guard + 3] = 3;
  EXPECT_THROW(second->set_state(state), Error);
}

}  // namespace
