// Multirate gradient descent (MrGD paper, Algorithm 1) cycling a
// MultirateSchedule. Optionally the schedule is rebuilt every K gradient
// evaluations (at the next cycle end) from the Hessian spectrum at the
// current point, for losses whose Hessian moves (Theorem 3.11's setting).
// There a cycle is kept only if it lowers the loss: where it does not, the
// quadratic model the rates come from failed, so the run goes back to the
// cycle's start and the rates are capped at a quarter of the largest that cycle
// used; the cap doubles after every cycle kept until it no longer binds.
// The state (cycle position, evaluations since the last rebuild, the
// schedule itself, and the guard's cap and cycle start) makes a restart exact.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msopt/optim/multirate_schedule.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt {

// Builds a schedule from the scale groups of the Hessian at a point, its rates
// at most rate_cap (0: no cap; the groups then already end at 1/rate_cap).
using ScheduleBuilder = std::function<MultirateSchedule(const std::vector<ScaleGroup>& groups, double rate_cap)>;

// The options of -opt_type mrgd, as set_from_options read them.
struct MrgdSettings {
  std::string schedule = "theorem34";  // theorem34 | chebyshev | groups_chebyshev
  double eta = 0;                      // given or 0
  std::vector<double> rates;
  std::vector<PetscInt> counts;
  std::string order = "auto";
  PetscInt refresh = 0;
  bool guard = true;                   // with refresh on a moving Hessian: cycles must lower the loss
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
  // -mrgd_kappa, -mrgd_steps, -mrgd_refresh (needs problem.groups_at), -mrgd_no_guard.
  void set_from_options(Options& options) override;
  bool needs_spectrum() const override { return true; }
  void set_up(const ProblemInfo& problem) override;
  void step(std::vector<double>& w, const std::vector<double>& g) override;
  void note_loss(double loss) override { loss_ = loss; }
  bool at_cycle_end() const override { return position_ == 0 && !(guard_ && cycle_raised_loss()); }
  double current_rate() const override { return schedule_.rates[schedule_.order[position_]]; }
  std::string view() const override;
  void reset() override;
  std::vector<double> state() const override;
  void set_state(const std::vector<double>& state) override;
  const MultirateSchedule& schedule() const { return schedule_; }
  PetscInt refreshes() const { return refreshes_; }
  PetscInt rejections() const { return rejections_; }

 private:
  // At a cycle's end (or the run's start), with the guard: whether the cycle
  // lowered the loss; if not, w is back at its start and the schedule rebuilt
  // there under the new cap; if so, the rebuild when one is due.
  bool keep_cycle(std::vector<double>& w);
  // Whether the cycle ending at the noted loss raised it (the guard undoes it).
  bool cycle_raised_loss() const;
  // The groups at w (a new spectrum), then the schedule from them.
  void rebuild(const std::vector<double>& w);
  // schedule_ from groups_ under rate_cap_, which is lifted where it no longer binds.
  void build_from_groups();

  MrgdSettings settings_;
  MultirateSchedule schedule_;
  MultirateSchedule first_schedule_;  // set-up's (rebuilds replace schedule_)
  std::string origin_;
  std::function<std::vector<ScaleGroup>(const std::vector<double>&)> groups_at_;
  ScheduleBuilder build_;  // set when the schedule is rebuilt (-mrgd_refresh)
  size_t position_ = 0;
  PetscInt since_refresh_ = 0;  // gradient evaluations since the schedule was built
  PetscInt refreshes_ = 0;
  bool guard_ = false;               // -mrgd_refresh on a Hessian that moves
  double loss_ = 0;                  // at the point of the next step's gradient
  std::vector<double> cycle_start_;  // where the current cycle began (guard), and its loss
  double cycle_start_loss_ = 0;
  double rate_cap_ = 0;              // the rates' cap after a rejected cycle (0: none)
  PetscInt rejections_ = 0;
  size_t w_size_ = 0;                // the parameters' count (set-up's problem)
  std::vector<ScaleGroup> groups_;   // the last rebuild's, before the cap
};

std::unique_ptr<Optimizer> create_mrgd();

}  // namespace msopt
