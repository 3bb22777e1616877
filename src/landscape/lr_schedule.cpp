#include "msopt/landscape/lr_schedule.hpp"

#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

std::vector<std::string> lr_schedule_kinds() { return {"constant", "step", "cosine", "linear", "paper"}; }

void LrSchedule::validate() const {
  require(!rates.empty(), "option -landscape_lr: needs a rate");
  for (double r : rates) require(r > 0 && std::isfinite(r), "option -landscape_lr: rates must be positive");
  for (size_t k = 0; k < milestones.size(); ++k)
    require(milestones[k] > 0 && (k == 0 || milestones[k] > milestones[k - 1]),
            "option -landscape_lr_steps: must be positive and increasing");
  if (kind == "paper")
    require(rates.size() == milestones.size() + 1,
            "option -landscape_lr_steps: the paper schedule needs one step per rate after the first");
  else
    require(rates.size() == 1, "option -landscape_lr: only the paper schedule takes several rates");
  if (kind == "step") {
    require(!milestones.empty(), "option -landscape_lr_steps: the step schedule needs its steps");
    require(gamma > 0, "option -landscape_lr_gamma: must be positive");
  }
  if (kind == "cosine" || kind == "linear")
    require(final_rate >= 0 && final_rate <= rates[0],
            "option -landscape_lr_final: must be in [0, -landscape_lr]");
}

double LrSchedule::at(int t) const {
  int passed = 0;
  while (passed < static_cast<int>(milestones.size()) && milestones[passed] <= t) ++passed;
  const double T = total_steps, s = t < total_steps ? t : total_steps;
  if (kind == "step") return rates[0] * std::pow(gamma, passed);
  if (kind == "paper") return rates[passed];
  if (kind == "cosine") return final_rate + (rates[0] - final_rate) * 0.5 * (1 + std::cos(M_PI * s / T));
  if (kind == "linear") return rates[0] + (final_rate - rates[0]) * s / T;
  return rates[0];
}

}  // namespace msopt
