#include "msopt/optim/multirate_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "msopt/core/error.hpp"

namespace msopt {

namespace {

constexpr double kLogFloor = -700.0;  // log of an exact annihilation, kept finite
// In floating point a group's error cannot be damped below round-off: its
// level (log of the amplification since the cycle start) is floored here.
const double kRoundoffLevel = std::log(std::numeric_limits<double>::epsilon());

// Longest cycle make_schedule accepts (its step orders cost O(steps * m^2)).
constexpr double kMaxStepsPerCycle = 1e6;
// The highest of paced_order's levels 1, 10, 100, ... that bounded_order tries.
constexpr double kMaxPacedBound = 1e8;

double safe_log(double x) { return x > 0 ? std::max(std::log(x), kLogFloor) : kLogFloor; }

// log of the relative accuracy a gradient step attains: eps kappa, kappa the spectrum's condition number.
// A step's round-off is relative to the whole iterate, whose largest components lie along the smallest
// scales: along a group's directions it leaves up to eps kappa of the gradient, not eps.
double attainable_level(const std::vector<ScaleGroup>& groups) {
  return kRoundoffLevel + std::max(0.0, std::log(groups.front().sigma_max / groups.back().sigma_min));
}

// log of a group's own factor per step, 1 - R / kappa, floored at the attainable accuracy: at eta = 1 a
// group of one eigenvalue is annihilated exactly on paper (log 0), and the ratios of eq. 18 lost their
// meaning (counts 5, 4, 58, 3, 2, 1 on six such groups, a cycle that diverged). Floored at eps instead,
// the counts left the other groups' steps no slack, and automatic MrGD diverged on data whose mean is a
// lone top eigenvalue (kappa 2.4e8: the gradient along the mean grew from 1e-4 to 4e7 within a cycle).
double log_own_factor(const std::vector<ScaleGroup>& groups, double x) {
  return std::max(safe_log(x), attainable_level(groups));
}

}  // namespace

std::vector<double> rates_from_eta(const std::vector<ScaleGroup>& groups, double eta) {
  std::vector<double> rates;
  for (const auto& g : groups) rates.push_back(1.0 / (eta * g.sigma_max));
  return rates;
}

double theorem34_F(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates, size_t i, size_t j) {
  const ScaleGroup &gi = groups[i], &gn = groups[i + 1];
  const double r = gn.sigma_max / gi.sigma_max;  // r_i
  // denominator: log((1 - R^i_{i+1} / kappa_{i+1}) / (1 - R^i_i / kappa_i))
  const double denominator =
      safe_log(1 - rates[i] * gn.sigma_min) - log_own_factor(groups, 1 - rates[i] * gi.sigma_min);
  const double R = rates[j] * gn.sigma_max;  // R^j_{i+1}
  double numerator = -std::log(r) + safe_log(std::fabs(r - R));
  numerator -= (j == i + 1) ? log_own_factor(groups, 1 - rates[j] * gn.sigma_min)  // 1 - R^{i+1}_{i+1} / kappa_{i+1}
                            : safe_log(std::fabs(1 - R));
  return numerator / denominator;
}

std::vector<PetscInt> theorem34_counts(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates) {
  const size_t m = groups.size();
  std::vector<PetscInt> counts(m, 1);
  for (size_t i = m - 1; i-- > 0;) {
    double sum = 0;
    for (size_t j = i + 1; j < m; ++j) sum += counts[j] * theorem34_F(groups, rates, i, j);
    require(std::isfinite(sum) && sum < 1e9, "Theorem 3.4 gives no finite step count for group " +
                                                 std::to_string(i + 1) + " with these rates");
    counts[i] = std::max<PetscInt>(1, static_cast<PetscInt>(std::ceil(sum)));
  }
  return counts;
}

bool theorem34_applies(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates) {
  for (size_t i = 0; i < groups.size() && i < rates.size(); ++i)
    if (rates[i] * groups[i].sigma_max > 1 + 1e-12) return false;
  return true;
}

double theorem34_bound(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                       const std::vector<PetscInt>& counts) {
  double log_bound = 0;
  for (size_t j = 0; j < rates.size(); ++j)
    log_bound += counts[j] * safe_log(std::fabs(1 - rates[j] * groups.back().sigma_min));
  return std::exp(log_bound);
}

double log_step_factor(const ScaleGroup& group, double rate) {
  return safe_log(std::max(std::fabs(1 - rate * group.sigma_max), std::fabs(1 - rate * group.sigma_min)));
}

// Each group's level (log of its amplification since the cycle start) as steps are taken one by one.
class GroupLevels {
 public:
  GroupLevels(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates)
      : factor_(groups.size(), std::vector<double>(groups.size())), level_(groups.size(), 0.0) {
    for (size_t j = 0; j < groups.size(); ++j)
      for (size_t a = 0; a < groups.size(); ++a) factor_[j][a] = log_step_factor(groups[a], rates[j]);
  }
  // The highest level after a step of group j's rate.
  double peak_after(size_t j) const {
    double peak = -std::numeric_limits<double>::infinity();
    for (size_t a = 0; a < level_.size(); ++a) peak = std::max(peak, next_level(j, a));
    return peak;
  }
  void take(size_t j) {
    for (size_t a = 0; a < level_.size(); ++a) level_[a] = next_level(j, a);
  }

 private:
  double next_level(size_t j, size_t a) const { return std::max(level_[a], kRoundoffLevel) + factor_[j][a]; }
  std::vector<std::vector<double>> factor_;  // factor_[j][a]: log of group a's factor per step of rate j
  std::vector<double> level_;
};

double worst_amplification(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                           const std::vector<int>& order) {
  GroupLevels levels(groups, rates);
  double worst = 0;
  for (int j : order) {
    worst = std::max(worst, levels.peak_after(j));
    levels.take(j);
  }
  return std::exp(worst);
}

std::vector<int> paper_order(const std::vector<PetscInt>& counts) {
  std::vector<int> order;
  for (int j = static_cast<int>(counts.size()) - 1; j >= 0; --j) order.insert(order.end(), counts[j], j);
  return order;
}

PetscInt total_steps(const std::vector<PetscInt>& counts) {
  PetscInt total = 0;
  for (PetscInt c : counts) total += c;
  return total;
}

std::vector<int> greedy_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                              const std::vector<PetscInt>& counts) {
  std::vector<int> by_rate(groups.size());
  for (size_t j = 0; j < by_rate.size(); ++j) by_rate[j] = static_cast<int>(j);
  std::sort(by_rate.begin(), by_rate.end(), [&](int a, int b) { return rates[a] > rates[b]; });

  GroupLevels levels(groups, rates);
  std::vector<PetscInt> left = counts;
  const PetscInt total = total_steps(counts);
  std::vector<int> order;
  order.reserve(total);
  while (static_cast<PetscInt>(order.size()) < total) {
    int pick = -1;
    double pick_peak = 0;
    for (int j : by_rate) {
      if (left[j] == 0) continue;
      const double peak = levels.peak_after(j);
      if (peak <= 1e-12) {  // the largest rate that grows no group
        pick = j;
        break;
      }
      if (pick < 0 || peak < pick_peak) pick = j, pick_peak = peak;  // else the least growth
    }
    levels.take(pick);
    --left[pick];
    order.push_back(pick);
  }
  return order;
}

std::vector<int> spread_order(const std::vector<double>& rates, const std::vector<PetscInt>& counts) {
  struct Slot {
    double position, rate;
    int group;
  };
  std::vector<Slot> slots;
  for (size_t j = 0; j < counts.size(); ++j)
    for (PetscInt k = 0; k < counts[j]; ++k)
      slots.push_back({(k + 0.5) / static_cast<double>(counts[j]), rates[j], static_cast<int>(j)});
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return a.position != b.position ? a.position < b.position : a.rate < b.rate;
  });
  std::vector<int> order;
  for (const auto& slot : slots) order.push_back(slot.group);
  return order;
}

std::vector<int> paced_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                             const std::vector<PetscInt>& counts, double bound) {
  const double log_bound = std::log(bound) + 1e-12;
  GroupLevels levels(groups, rates);
  std::vector<PetscInt> taken(groups.size(), 0);
  const PetscInt total = total_steps(counts);
  std::vector<int> order;
  order.reserve(total);
  while (static_cast<PetscInt>(order.size()) < total) {
    int safe = -1, least = -1;
    double safe_share = 0, least_peak = 0;
    for (size_t j = 0; j < groups.size(); ++j) {
      if (taken[j] == counts[j]) continue;
      const double peak = levels.peak_after(j), share = (taken[j] + 0.5) / static_cast<double>(counts[j]);
      if (peak <= log_bound && (safe < 0 || share < safe_share)) safe = static_cast<int>(j), safe_share = share;
      if (least < 0 || peak < least_peak) least = static_cast<int>(j), least_peak = peak;
    }
    const int pick = safe >= 0 ? safe : least;
    levels.take(pick);
    ++taken[pick];
    order.push_back(pick);
  }
  return order;
}

std::vector<int> bounded_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                               const std::vector<PetscInt>& counts, double rtol) {
  std::vector<int> best = greedy_order(groups, rates, counts);
  double best_worst = worst_amplification(groups, rates, best);
  auto consider = [&](std::vector<int> order) {
    const double worst = worst_amplification(groups, rates, order);
    if (worst < best_worst) best_worst = worst, best = std::move(order);
  };
  consider(spread_order(rates, counts));
  for (double bound = 1; bound <= kMaxPacedBound && !paper_order_harmless(best_worst, rtol); bound *= 10)
    consider(paced_order(groups, rates, counts, bound));
  return best;
}

bool paper_order_harmless(double amplification, double rtol) {
  return amplification * std::numeric_limits<double>::epsilon() <= 1e-2 * rtol;
}

double steps_to(const MultirateSchedule& s, const std::vector<double>& eigenvalues, const std::vector<double>& weights,
                double rtol, double limit, double noise) {
  // The squared components in units of exp(log_unit), the start's sum being 1; the unit grows with them.
  double total = 0;
  for (double w : weights) total += w;
  std::vector<double> square(eigenvalues.size());
  for (size_t k = 0; k < square.size(); ++k) square[k] = weights[k] / total;
  double log_unit = 0;
  const double injected = noise * noise / static_cast<double>(eigenvalues.size()), log_target = 2 * std::log(rtol);
  const PetscInt cycle = s.steps_per_cycle();
  for (PetscInt t = 0; t < 3 * cycle && t < limit; ++t) {
    const double rate = s.rates[static_cast<size_t>(s.order[static_cast<size_t>(t % cycle)])];
    const double injected_here = injected * std::exp(-log_unit);
    double sum = 0, largest = 0;
    for (size_t k = 0; k < square.size(); ++k) {
      const double pass = rate * eigenvalues[k], factor = 1 - pass;
      square[k] = factor * factor * square[k] + pass * pass * injected_here;
      sum += square[k];
      largest = std::max(largest, square[k]);
    }
    if (std::log(sum) + log_unit <= log_target) return static_cast<double>(t);
    if (largest > 1e200) {
      for (double& x : square) x *= 1e-200;
      log_unit += 200 * std::log(10.0);
    }
  }
  return std::numeric_limits<double>::infinity();
}

HeldEigenvalues held_eigenvalues(const std::vector<ScaleGroup>& groups, const std::vector<double>& eigenvalues,
                                 const std::vector<double>& weights) {
  HeldEigenvalues held;
  double total = 0;
  for (size_t k = 0; k < eigenvalues.size(); ++k)
    if (eigenvalues[k] >= groups.back().sigma_min) {
      held.values.push_back(eigenvalues[k]);
      held.weights.push_back(weights.empty() ? 1.0 : weights[k]);
      total += held.weights.back();
    }
  if (!(total > 0)) held.weights.assign(held.values.size(), 1.0);  // a start with nothing there: equal components
  return held;
}

double cycle_contraction(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                         const std::vector<PetscInt>& counts) {
  double worst_end = kLogFloor;
  for (const auto& g : groups) {
    double level = 0;
    for (size_t j = 0; j < rates.size(); ++j) level += counts[j] * log_step_factor(g, rates[j]);
    worst_end = std::max(worst_end, level);
  }
  return std::exp(worst_end);
}

MultirateSchedule make_schedule(const std::vector<ScaleGroup>& groups, std::vector<double> rates,
                                std::vector<PetscInt> counts, StepOrder order, double rtol) {
  require(rates.size() == groups.size() && counts.size() == groups.size(),
          "MrGD needs one rate and one count per scale group (" + std::to_string(groups.size()) + " groups)");
  for (double r : rates) require(r > 0 && std::isfinite(r), "MrGD rates must be positive");
  double steps = 0;  // in double: a sum of PetscInt counts can overflow
  for (PetscInt c : counts) {
    require(c > 0, "MrGD step counts must be positive");
    steps += c;
  }
  require(steps <= kMaxStepsPerCycle, "MrGD: " + std::to_string(static_cast<long long>(steps)) +
                                          " steps per cycle, more than the " +
                                          std::to_string(static_cast<long long>(kMaxStepsPerCycle)) +
                                          " supported (lower -mrgd_counts, or -mrgd_eta / -mrgd_rates)");
  MultirateSchedule s;
  s.rates = std::move(rates);
  s.counts = std::move(counts);
  s.naive_amplification = worst_amplification(groups, s.rates, paper_order(s.counts));
  s.paper_order_used = order == StepOrder::paper ||
                       (order == StepOrder::automatic && paper_order_harmless(s.naive_amplification, rtol));
  s.order = s.paper_order_used ? paper_order(s.counts) : bounded_order(groups, s.rates, s.counts, rtol);
  s.theorem_bound = theorem34_applies(groups, s.rates) ? theorem34_bound(groups, s.rates, s.counts)
                                                       : std::numeric_limits<double>::quiet_NaN();
  s.cycle_contraction = cycle_contraction(groups, s.rates, s.counts);
  s.worst_amplification = worst_amplification(groups, s.rates, s.order);
  return s;
}

MultirateSchedule select_schedule(const std::vector<ScaleGroup>& groups, double* chosen_eta, StepOrder order,
                                  double rtol) {
  require(groups.size() >= 2, "the spectrum has no detectable scale groups (one group only): MrGD needs at least "
                              "two; lower -spec_gap_ratio or use -opt_type gd");
  double best_cost = std::numeric_limits<double>::infinity(), best_eta = 0;
  // eta below 1 (rates up to 2/sigma_i) lies outside Theorem 3.4, but its optimum often does: the cost rests
  // on the interval bound, a product of every step's largest |1 - h lambda| on every group.
  for (int hundredths = 55; hundredths <= 800; hundredths += 5) {
    const double eta = hundredths / 100.0;  // as printed: a running sum of 0.05 reached 1 + 2 ulp
    auto rates = rates_from_eta(groups, eta);
    std::vector<PetscInt> counts;
    try {
      counts = theorem34_counts(groups, rates);
    } catch (const Error&) {
      continue;
    }
    double steps = 0;
    for (PetscInt c : counts) steps += c;
    const double contraction = cycle_contraction(groups, rates, counts);
    if (steps > kMaxStepsPerCycle || !(contraction < 1)) continue;
    const double cost = steps / -std::log(contraction);  // evaluations per e-fold of the error
    if (cost < best_cost) {
      best_cost = cost;
      best_eta = eta;
    }
  }
  require(std::isfinite(best_cost), "no MrGD schedule with eta in [0.55, 8] contracts on this spectrum");
  if (chosen_eta) *chosen_eta = best_eta;
  auto rates = rates_from_eta(groups, best_eta);
  return make_schedule(groups, rates, theorem34_counts(groups, rates), order, rtol);
}

std::string MultirateSchedule::describe() const {
  char line[400];
  const char* order_used = paper_order_used ? "Algorithm 1's order (harmless at the tolerance)" : "bounded order";
  if (eigenvalue_intervals > 0) {
    char width[80];
    if (eigenvalue_margin > 0)
      std::snprintf(width, sizeof width, "max(%g, %g eps lambda_max / lambda)", eigenvalue_margin, eigenvalue_accuracy);
    else
      std::snprintf(width, sizeof width, "%g eps lambda_max / lambda", eigenvalue_accuracy);
    std::snprintf(line, sizeof line,
                  "  steps per cycle %d at the eigenvalues, in %d intervals of relative half-width %s (their "
                  "accuracy)%s; predicted contraction per cycle (bound on max |p| over them) %.4e\n",
                  static_cast<int>(order.size()), static_cast<int>(eigenvalue_intervals), width,
                  eigenvalue_intervals_joined ? ", neighbours joined to this many, the narrowest unions first" : "",
                  cycle_contraction);
    std::string text = line;
    if (start_residual > 0) {
      std::snprintf(line, sizeof line,
                    "  from the run's start (its components along the eigenvectors): relative gradient %.4e after one "
                    "cycle\n", start_residual);
      text += line;
    }
    std::snprintf(line, sizeof line, "  worst intermediate amplification %.3e (the order the steps were chosen)\n",
                  worst_amplification);
    return text + line;
  }
  if (!chebyshev_groups.empty()) {
    std::string text = "  group   interval [a_i, b_i]            nodes k_i   1/T_k_i((b_i + a_i)/(b_i - a_i))\n";
    for (size_t i = 0; i < chebyshev_groups.size(); ++i) {
      const ScaleGroup& g = chebyshev_groups[i];
      const double x0 = (g.sigma_max + g.sigma_min) / (g.sigma_max - g.sigma_min);
      const double own = g.sigma_max > g.sigma_min ? 1 / std::cosh(chebyshev_group_counts[i] * std::acosh(x0)) : 0;
      std::snprintf(line, sizeof line, "  %5zu   [%.6e, %.6e] %9d   %.4e\n", i + 1, g.sigma_min, g.sigma_max,
                    static_cast<int>(chebyshev_group_counts[i]), own);
      text += line;
    }
    std::snprintf(line, sizeof line,
                  "  steps per cycle %d at the Chebyshev nodes of each group's interval; predicted contraction per "
                  "cycle (bound on max |p| over the intervals) %.4e\n"
                  "  worst intermediate amplification %.3e (Algorithm 1's order: %.3e); %s\n",
                  static_cast<int>(order.size()), cycle_contraction, worst_amplification, naive_amplification,
                  order_used);
    return text + line;
  }
  std::string text = "  group        rate eta_i   steps n_i\n";
  for (size_t i = 0; i < rates.size(); ++i) {
    std::snprintf(line, sizeof line, "  %5zu %16.6e %11d\n", i + 1, rates[i], static_cast<int>(counts[i]));
    text += line;
  }
  if (chebyshev_kappa > 0) {
    std::snprintf(line, sizeof line,
                  "  steps per cycle %d at the Chebyshev nodes of [lambda_max / %g, lambda_max], fractal order; "
                  "bound on ||S|| on that interval 1/T_%d((kappa + 1)/(kappa - 1)) = %.4e\n"
                  "  worst intermediate amplification on the interval %.3e (largest rates first: %.3e)\n",
                  static_cast<int>(order.size()), chebyshev_kappa, static_cast<int>(order.size()), cycle_contraction,
                  worst_amplification, naive_amplification);
    return text + line;
  }
  if (std::isnan(theorem_bound))
    std::snprintf(line, sizeof line,
                  "  steps per cycle %d; Theorem 3.4's bound (eq. 19) does not apply (rates above 1/sigma_i); "
                  "interval bound %.4e\n",
                  static_cast<int>(order.size()), cycle_contraction);
  else
    std::snprintf(line, sizeof line,
                  "  steps per cycle %d; bound on ||S|| of Theorem 3.4 and Corollary 3.8 (eq. 19, 23) %.4e; interval "
                  "bound %.4e\n",
                  static_cast<int>(order.size()), theorem_bound, cycle_contraction);
  text += line;
  std::snprintf(line, sizeof line, "  worst intermediate amplification %.3e (Algorithm 1's order: %.3e); %s\n",
                worst_amplification, naive_amplification, order_used);
  return text + line;
}

}  // namespace msopt
