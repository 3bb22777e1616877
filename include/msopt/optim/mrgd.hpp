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

class MultirateGD : public Optimizer {
 public:
  // refresh_every = 0: the schedule never changes. Otherwise `groups_at`
  // (collective) gives the scale groups at a point and `build` turns them
  // into the next schedule.
  MultirateGD(MultirateSchedule schedule, std::string origin, PetscInt refresh_every = 0,
              std::function<std::vector<ScaleGroup>(const std::vector<double>&)> groups_at = {},
              ScheduleBuilder build = {});
  std::string type() const override { return "mrgd"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override;
  bool at_cycle_end() const override { return position_ == 0; }
  double current_rate() const override { return schedule_.rates[schedule_.order[position_]]; }
  std::string describe() const override;
  std::vector<double> state() const override;
  void set_state(const std::vector<double>& state) override;
  const MultirateSchedule& schedule() const { return schedule_; }
  PetscInt refreshes() const { return refreshes_; }

 private:
  MultirateSchedule schedule_;
  std::string origin_;
  PetscInt refresh_every_;
  std::function<std::vector<ScaleGroup>(const std::vector<double>&)> groups_at_;
  ScheduleBuilder build_;
  size_t position_ = 0;
  PetscInt since_refresh_ = 0;  // gradient evaluations since the schedule was built
  PetscInt refreshes_ = 0;
};

// Reads -mrgd_schedule, -mrgd_eta, -mrgd_rates, -mrgd_counts, -mrgd_order,
// -mrgd_kappa, -mrgd_steps, -mrgd_refresh (the last needs problem.groups_at).
std::unique_ptr<Optimizer> create_mrgd(Options& options, const ProblemInfo& problem);

}  // namespace msopt
