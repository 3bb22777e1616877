// Multirate gradient descent (MrGD paper, Algorithm 1) cycling a
// MultirateSchedule. Optionally the schedule is rebuilt every K gradient
// evaluations (at the next cycle end) from the Hessian spectrum at the
// current point, for losses whose Hessian moves (Theorem 3.11's setting).
// The state (cycle position, evaluations since the last rebuild, and the
// schedule itself) makes a restart exact.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msopt/optim/multirate_schedule.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt {

// Builds a schedule from the scale groups of the Hessian at a point.
using ScheduleBuilder = std::function<MultirateSchedule(const std::vector<ScaleGroup>& groups)>;

// The options of -opt_type mrgd, as set_from_options read them.
struct MrgdSettings {
  std::string schedule = "theorem34";  // theorem34 | chebyshev | groups_chebyshev
  double eta = 0;                      // given or 0
  std::vector<double> rates;
  std::vector<PetscInt> counts;
  std::string order = "auto";
  PetscInt refresh = 0;
  double kappa = 0;                    // chebyshev: given or 0
  PetscInt steps = 0;                  // chebyshev: given or 0
  bool eta_given = false, kappa_given = false, steps_given = false;
};

class MultirateGD : public StepOptimizer {
 public:
  MultirateGD() = default;
  // A schedule of the caller's own, already set up (no options, no spectrum).
  MultirateGD(MultirateSchedule schedule, std::string origin)
      : schedule_(std::move(schedule)), first_schedule_(schedule_), origin_(std::move(origin)) {}
  std::string type() const override { return "mrgd"; }
  // -mrgd_schedule, -mrgd_eta, -mrgd_rates, -mrgd_counts, -mrgd_order,
  // -mrgd_kappa, -mrgd_steps, -mrgd_refresh (the last needs problem.groups_at).
  void set_from_options(Options& options) override;
  bool needs_spectrum() const override { return true; }
  void set_up(const ProblemInfo& problem) override;
  void step(std::vector<double>& w, const std::vector<double>& g) override;
  bool at_cycle_end() const override { return position_ == 0; }
  double current_rate() const override { return schedule_.rates[schedule_.order[position_]]; }
  std::string view() const override;
  void reset() override;
  std::vector<double> state() const override;
  void set_state(const std::vector<double>& state) override;
  const MultirateSchedule& schedule() const { return schedule_; }
  PetscInt refreshes() const { return refreshes_; }

 private:
  MrgdSettings settings_;
  MultirateSchedule schedule_;
  MultirateSchedule first_schedule_;  // set-up's (rebuilds replace schedule_)
  std::string origin_;
  std::function<std::vector<ScaleGroup>(const std::vector<double>&)> groups_at_;
  ScheduleBuilder build_;  // set when the schedule is rebuilt (-mrgd_refresh)
  size_t position_ = 0;
  PetscInt since_refresh_ = 0;  // gradient evaluations since the schedule was built
  PetscInt refreshes_ = 0;
};

std::unique_ptr<Optimizer> create_mrgd();

}  // namespace msopt
