// Multirate gradient descent (MrGD paper, Algorithm 1) cycling a
// MultirateSchedule; the position in the cycle is its state.
#pragma once
#include "msopt/optim/multirate_schedule.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt {

class MultirateGD : public Optimizer {
 public:
  explicit MultirateGD(MultirateSchedule schedule, std::string origin);
  std::string type() const override { return "mrgd"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override;
  bool at_cycle_end() const override { return position_ == 0; }
  double current_rate() const override { return schedule_.rates[schedule_.order[position_]]; }
  std::string describe() const override;
  std::vector<double> state() const override { return {static_cast<double>(position_)}; }
  void set_state(const std::vector<double>& state) override;
  const MultirateSchedule& schedule() const { return schedule_; }

 private:
  MultirateSchedule schedule_;
  std::string origin_;
  size_t position_ = 0;
};

// Reads -mrgd_eta, -mrgd_rates, -mrgd_counts, -mrgd_order.
std::unique_ptr<Optimizer> create_mrgd(Options& options, const ProblemInfo& problem);

}  // namespace msopt
