// The optimizer of every grade of `msopt mgdl` and `msopt restore`: -opt_type
// among the stepping methods of the registry, its options read once, and a
// fresh optimizer set up for each grade, with the scale groups of the grade's
// Hessian at its start where the method takes its rates from a spectrum.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/objective.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt::apps {

class GradeOptimizer {
 public:
  void read(Options& o, const char* fallback, const char* help);
  const std::string& type() const { return type_; }
  // After Options::finish(): "gd, rate 0.06", or "mrgd, rates from each grade's Hessian spectrum".
  // Throws msopt::Error for settings no grade can run with (e.g. -opt_lr missing).
  std::string method(Options& o) const;
  // Collective: an optimizer set up for a grade on `objective` starting at `start`.
  std::unique_ptr<StepOptimizer> for_grade(Options& o, Objective& objective, const std::vector<double>& start,
                                           double rtol) const;

 private:
  std::string type_;
  std::unique_ptr<Optimizer> options_read_;  // set_from_options done: what it needs is known
  SpectrumSettings spectrum_;
};

}  // namespace msopt::apps
