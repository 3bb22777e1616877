#include "msopt/core/timed_choice.hpp"

#include "msopt/core/error.hpp"

namespace msopt {

TimedChoice::TimedChoice(int trials) : trials_(trials) {
  require(trials >= 1, "TimedChoice: at least one trial per way");
}

void TimedChoice::record(double seconds) {
  if (settled()) return;
  double& best = best_[calls_ % 2];
  if (seconds < best) best = seconds;
  if (++calls_ == 2 * trials_) second_ = best_[1] < best_[0];
}

void TimedChoice::settle(bool second) {
  calls_ = 2 * trials_;
  second_ = second;
}

}  // namespace msopt
