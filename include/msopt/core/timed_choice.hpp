// The faster of two ways of doing the same work with the same result, bit for
// bit, on this machine under its present load: the first 2 x trials calls
// alternate the two ways, each timed, then the way with the shorter best time
// stays. For tuning no rule can fix in advance: software prefetch of a
// streamed array lifted the least-squares gradient from about 70 % to 95-115 %
// of a plain read's bandwidth on one AVX-512 Xeon and cost another 5-15 points
// (QuadraticLeastSquares, issue 12).
#pragma once
#include <limits>

namespace msopt {

class TimedChoice {
 public:
  explicit TimedChoice(int trials = 2);
  // Whether the call about to be made takes the second way.
  bool second() const { return settled() ? second_ : calls_ % 2 == 1; }
  // The time of that call, in seconds (ignored once settled).
  void record(double seconds);
  // Ends the trials with the given way (tests, benchmarks, work too small to time).
  void settle(bool second);
  bool settled() const { return calls_ >= 2 * trials_; }
  // The shortest time recorded for a way (infinity: none).
  double best(bool second) const { return best_[second]; }

 private:
  int trials_, calls_ = 0;
  double best_[2] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  bool second_ = false;
};

}  // namespace msopt
