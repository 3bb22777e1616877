// Learning-rate decay for the landscape runs (landscape paper, Sec. 2.2 and
// 5): the rate eta_t used by GD step t -> t+1.
//   constant  eta_0
//   step      eta_0 * gamma^(number of milestones <= t)
//   cosine    eta_f + (eta_0 - eta_f) (1 + cos(pi t / T)) / 2
//   linear    eta_0 + (eta_f - eta_0) t / T
//   paper     rates[k] from milestone k (the paper's piecewise-constant
//             drops: Fig. 4.1 5 -> 3 -> 1 at steps 100, 150; Fig. 5.1
//             2.5 -> 0.25 at step 650, 700 or 750)
#pragma once
#include <string>
#include <vector>

namespace msopt {

struct LrSchedule {
  std::string kind = "constant";
  std::vector<double> rates;    // eta_0 (paper: one rate per stage)
  std::vector<int> milestones;  // step and paper: increasing steps
  double gamma = 0.1;           // step
  double final_rate = 0;        // cosine, linear: eta_f
  int total_steps = 1;          // cosine, linear: T

  // msopt::Error (naming the -landscape_lr* option) if inconsistent.
  void validate() const;
  double at(int step) const;
};

std::vector<std::string> lr_schedule_kinds();

}  // namespace msopt
