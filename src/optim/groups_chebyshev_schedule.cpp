#include "msopt/optim/groups_chebyshev_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "msopt/core/error.hpp"
#include "msopt/optim/chebyshev_schedule.hpp"

namespace msopt {

namespace {

constexpr double kLogFloor = -700.0;  // log of an exact annihilation, kept finite
constexpr double kRoundoff = std::numeric_limits<double>::epsilon();
constexpr PetscInt kMaxCount = 100000;       // nodes in one group
constexpr PetscInt kMaxStepsPerCycle = 5000;
// The cycle at the eigenvalues: its cost grows as steps x intervals, not as the
// square of the steps (as the groups' cycle's amplification does). Few samples
// per dimension need many: N = 660 samples of d = 650 need 167238 (CG 110732
// evaluations), built in about 9 s.
constexpr PetscInt kMaxEigenvalueSteps = 400000;
constexpr int kOrderSamples = 1024;  // points per interval that guide the bounded order (its bound uses more)
constexpr double kMaxOrderBound = 1e8;  // levels the bounded order tries, 1 ... this
// eigenvalue_schedule's intervals at most (beyond, neighbours are joined): its cost grows as their square.
constexpr size_t kMaxEigenvalueIntervals = 500;

double safe_log(double x) { return x > 0 ? std::max(std::log(x), kLogFloor) : kLogFloor; }

// A running amplification's level at an eigenvalue after a step at `rate` (floored at round-off first).
inline double level_after(double level, double lambda, double rate) {
  return std::max(level, kRoundoff) * std::fabs(1 - rate * lambda);
}

// Intervals narrower than this relative half-width are widened to it about
// their centre. The eigenvalues are known to rounding accuracy only: nodes on a
// lone computed eigenvalue, trusted to annihilate it, left it amplified by
// 1e110 on a problem of three one-dimensional groups (kappa = 1e8).
constexpr double kMinHalfWidth = 1e-6;
// The eigenvalue intervals' least relative half-width. Their accuracy term,
// 1e3 eps lambda_max / lambda, exceeds it below 2.2e-5 lambda_max; above, it
// is a margin over that model. 1e-6 cost up to 1.6x the evaluations on
// problems of few eigenvalues per group (six groups of two: 57-60 against
// 41-48 at 1e-8; CG 29-31), once the order follows the start (issue 12).
constexpr double kEigenvalueHalfWidth = 1e-8;

// A gradient's rounding error for eigenvalue_schedule's choice of cycle, relative to the start's gradient (steps_to).
// On 132 random problems of 2 to 6 groups (bench/random_multiscale_cases.py) the steps to 1e-8 it predicts were
// within 1 evaluation of the runs' on average, for both cycles, where exact arithmetic was 2.6 and 8.6 below them.
constexpr double kGradientNoise = 100 * kRoundoff;
// The eigenvalues' accuracy terms, in eps lambda_max: the first that of the margined cycle too.
constexpr double kAccuracyTerms[] = {1e3, 10};
// The least relative error of the eigenvalues, beyond their accuracy term, the cycle that rounding chooses must
// bear (450 times that term at lambda_max; the margin's 1e-8 would rule it out on most problems it helps).
constexpr double kRoundingChoiceMargin = 1e-10;

std::vector<ScaleGroup> widened(std::vector<ScaleGroup> groups) {
  for (ScaleGroup& g : groups) {
    const double centre = 0.5 * (g.sigma_max + g.sigma_min);
    g.sigma_max = std::max(g.sigma_max, centre * (1 + kMinHalfWidth));
    g.sigma_min = std::min(g.sigma_min, centre * (1 - kMinHalfWidth));
  }
  return groups;
}

// log |T_k(x)|: cos(k acos x) inside [-1, 1], cosh(k acosh |x|) outside.
double log_abs_chebyshev(PetscInt k, double x) {
  x = std::fabs(x);
  if (x <= 1) return safe_log(std::fabs(std::cos(k * std::acos(x))));
  const double t = k * std::acosh(x);
  return t + std::log1p(std::exp(-2 * t)) - std::log(2.0);
}

// log |q(lambda)| for k Chebyshev nodes on group g's interval (see the header).
double log_group_factor(const ScaleGroup& g, PetscInt k, double lambda) {
  if (k == 0) return 0;
  const double a = g.sigma_min, b = g.sigma_max;
  return log_abs_chebyshev(k, (b + a - 2 * lambda) / (b - a)) - log_abs_chebyshev(k, (b + a) / (b - a));
}

PetscInt total(const std::vector<PetscInt>& counts) {
  PetscInt sum = 0;
  for (PetscInt c : counts) sum += c;
  return sum;
}

// Ehlich and Zeller: sampling a degree-K polynomial at N = 4K + 4 Chebyshev
// points misses its maximum by a factor of at most 1 / cos(pi K / (2N)) < 1.09.
int sample_count(PetscInt degree) { return static_cast<int>(4 * degree + 4); }
double log_sampling_factor(PetscInt degree) {
  return -std::log(std::cos(M_PI * static_cast<double>(degree) / (2.0 * sample_count(degree))));
}

double log_bound(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts, size_t g) {
  const PetscInt degree = total(counts);
  double worst = -std::numeric_limits<double>::infinity();
  for (double lambda : chebyshev_nodes(groups[g].sigma_min, groups[g].sigma_max, sample_count(degree))) {
    double level = 0;
    for (size_t i = 0; i < groups.size(); ++i) level += log_group_factor(groups[i], counts[i], lambda);
    worst = std::max(worst, level);
  }
  return worst + log_sampling_factor(degree);
}

// log of a cheaper, looser bound on max |p| over group g's interval: the
// product of every factor's maximum there. |q_i| is monotone off group i's
// interval (|T_k(x)| grows with |x| > 1), so its maximum is at an end:
// b_g for a smaller group i, a_g for a larger one; on its own interval it is
// 1/T_k((b + a)/(b - a)).
double log_product_bound(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts, size_t g) {
  double level = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    const ScaleGroup& own = groups[i];
    if (i != g)
      level += log_group_factor(own, counts[i], i > g ? groups[g].sigma_max : groups[g].sigma_min);
    else if (counts[i] > 0)
      level -= log_abs_chebyshev(counts[i], (own.sigma_max + own.sigma_min) / (own.sigma_max - own.sigma_min));
  }
  return level;
}

double union_bound(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts) {
  double worst = kLogFloor;
  for (size_t g = 0; g < groups.size(); ++g) worst = std::max(worst, log_bound(groups, counts, g));
  return std::exp(worst);
}

double amplification(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                     const std::vector<int>& order) {
  const PetscInt degree = static_cast<PetscInt>(order.size());
  RunningAmplification running(groups, sample_count(degree));
  for (int k : order) running.take(rates[k]);
  return running.worst() * std::exp(log_sampling_factor(degree));
}

// The bounded order for a level `bound`: among the groups whose next step
// keeps every group at or below `bound` times its cycle-start level, the one
// furthest behind its even share of the cycle (as spread_order); if there is
// none, the step that grows them least (`forced` counts those steps; `worst`
// is the largest level on the way).
std::vector<int> bounded_groups_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                                      const std::vector<PetscInt>& counts, double bound, int& forced, double& worst) {
  const size_t m = groups.size();
  std::vector<PetscInt> first(m, 0), taken(m, 0);
  for (size_t i = 1; i < m; ++i) first[i] = first[i - 1] + counts[i - 1];
  const PetscInt steps = total(counts);
  RunningAmplification running(groups, kOrderSamples);
  std::vector<int> order;
  forced = 0;
  while (static_cast<PetscInt>(order.size()) < steps) {
    int safe = -1, least = -1;
    double safe_share = 0, least_peak = 0;
    for (size_t i = 0; i < m; ++i) {
      if (taken[i] == counts[i]) continue;
      const double peak = running.peak_after(rates[first[i] + taken[i]]);
      const double share = (taken[i] + 0.5) / static_cast<double>(counts[i]);
      if (peak <= bound * (1 + 1e-12) && (safe < 0 || share < safe_share)) safe = static_cast<int>(i), safe_share = share;
      if (least < 0 || peak < least_peak) least = static_cast<int>(i), least_peak = peak;
    }
    forced += safe < 0;
    const int group = safe >= 0 ? safe : least;
    const int k = static_cast<int>(first[group] + taken[group]++);
    running.take(rates[k]);
    order.push_back(k);
  }
  worst = running.worst();
  return order;
}

// The bounded order for the least level in 1, 10, 100, ... that it can keep
// without a forced step. A level of 1 is often out of reach: a step of a
// small-scale group is safe only once every larger group sits far below its
// start, which even shares never prepare, so such steps pile up at the cycle's
// end where nothing is left to absorb them (worst amplification 7e13 on a
// four-group problem of kappa 2e7, against 9.2 at level 10). Without such a
// level, the order that grew least.
std::vector<int> bounded_groups_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                                      const std::vector<PetscInt>& counts) {
  std::vector<int> best;
  double best_worst = std::numeric_limits<double>::infinity();
  for (double bound = 1; bound <= kMaxOrderBound; bound *= 10) {
    int forced = 0;
    double worst = 0;
    std::vector<int> order = bounded_groups_order(groups, rates, counts, bound, forced, worst);
    if (worst < best_worst) best_worst = worst, best = std::move(order);
    if (forced == 0) break;
  }
  return best;
}

}  // namespace

double groups_chebyshev_bound(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts, size_t g) {
  return std::exp(log_bound(widened(groups), counts, g));
}

std::vector<PetscInt> groups_chebyshev_counts(const std::vector<ScaleGroup>& given, double target, PetscInt max_total) {
  const std::vector<ScaleGroup> groups = widened(given);
  std::vector<PetscInt> counts(groups.size(), 0);
  PetscInt taken = 0;  // the smaller groups' counts
  for (size_t j = groups.size(); j-- > 0;) {
    // The larger groups' factors are below 1 here (|T_k(x)| < T_k(x0) for 1 < x < x0): ignoring them is safe.
    counts[j] = 1;
    while (log_product_bound(groups, counts, j) > std::log(target)) {
      require(++counts[j] <= kMaxCount, "groups_chebyshev: group " + std::to_string(j + 1) +
                                            " would need more than " + std::to_string(kMaxCount) + " steps per cycle");
      require(taken + counts[j] <= max_total, "groups_chebyshev: more than " + std::to_string(max_total) +
                                                  " steps per cycle");
    }
    taken += counts[j];
  }
  return counts;
}

std::vector<double> leja_order(std::vector<double> nodes) {
  std::vector<double> ordered, score(nodes);  // score: sum of log distances to the nodes taken (first: the node)
  while (!nodes.empty()) {
    const size_t pick = static_cast<size_t>(std::max_element(score.begin(), score.end()) - score.begin());
    const double x = nodes[pick];
    ordered.push_back(x);
    nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(pick));
    score.erase(score.begin() + static_cast<std::ptrdiff_t>(pick));
    for (size_t k = 0; k < nodes.size(); ++k) score[k] = (ordered.size() == 1 ? 0 : score[k]) + safe_log(std::fabs(nodes[k] - x));
  }
  return ordered;
}

RunningAmplification::RunningAmplification(const std::vector<ScaleGroup>& groups, int samples) {
  for (const ScaleGroup& g : groups) {
    const std::vector<double> nodes = chebyshev_nodes(g.sigma_min, g.sigma_max, samples);
    lambda_.insert(lambda_.end(), nodes.begin(), nodes.end());
  }
  level_.assign(lambda_.size(), 1.0);
}

// Levels are kept as plain products (no logs: this is the inner loop of the
// bounded order); one beyond the double range becomes inf, as it would in the run.
// Four running maxima: one alone chains every sample's max on the previous
// (the bounded order took 40 s of a 24-problem unit test, 75 % of it here).
double RunningAmplification::peak_after(double rate) const {
  const double *lambda = lambda_.data(), *level = level_.data();
  double peak[4] = {0, 0, 0, 0};
  const size_t n = lambda_.size(), n4 = n & ~size_t{3};
  for (size_t s = 0; s < n4; s += 4)
    for (size_t q = 0; q < 4; ++q) peak[q] = std::max(peak[q], level_after(level[s + q], lambda[s + q], rate));
  for (size_t s = n4; s < n; ++s) peak[0] = std::max(peak[0], level_after(level[s], lambda[s], rate));
  return std::max(std::max(peak[0], peak[1]), std::max(peak[2], peak[3]));
}

void RunningAmplification::take(double rate) {
  const double* lambda = lambda_.data();
  double* level = level_.data();
  double worst[4] = {worst_, worst_, worst_, worst_};
  const size_t n = lambda_.size(), n4 = n & ~size_t{3};
  for (size_t s = 0; s < n4; s += 4)
    for (size_t q = 0; q < 4; ++q)
      worst[q] = std::max(worst[q], level[s + q] = level_after(level[s + q], lambda[s + q], rate));
  for (size_t s = n4; s < n; ++s) worst[0] = std::max(worst[0], level[s] = level_after(level[s], lambda[s], rate));
  worst_ = std::max(std::max(worst[0], worst[1]), std::max(worst[2], worst[3]));
}

double RunningAmplification::worst() const { return worst_; }

MultirateSchedule groups_chebyshev_schedule(const std::vector<ScaleGroup>& given, const std::vector<PetscInt>& counts,
                                            StepOrder order, double rtol) {
  require(!given.empty() && counts.size() == given.size(), "groups_chebyshev: one count per scale group needed");
  for (const ScaleGroup& g : given)
    require(std::isfinite(g.sigma_max) && g.sigma_min > 0 && g.sigma_min <= g.sigma_max,
            "groups_chebyshev: the scale groups need positive intervals");
  for (PetscInt c : counts) require(c >= 1, "groups_chebyshev: every group needs at least one node");
  require(total(counts) <= kMaxStepsPerCycle, "groups_chebyshev: more than " + std::to_string(kMaxStepsPerCycle) +
                                                  " steps per cycle");
  const std::vector<ScaleGroup> groups = widened(given);
  MultirateSchedule s;
  for (size_t i = 0; i < groups.size(); ++i)
    for (double node : leja_order(chebyshev_nodes(groups[i].sigma_min, groups[i].sigma_max, static_cast<int>(counts[i]))))
      s.rates.push_back(1 / node);
  s.counts.assign(s.rates.size(), 1);
  std::vector<int> paper(s.rates.size());  // Algorithm 1: the largest rates first
  for (size_t k = 0; k < paper.size(); ++k) paper[k] = static_cast<int>(k);
  std::stable_sort(paper.begin(), paper.end(), [&](int a, int b) { return s.rates[a] > s.rates[b]; });
  s.naive_amplification = amplification(groups, s.rates, paper);
  s.paper_order_used = order == StepOrder::paper ||
                       (order == StepOrder::automatic && paper_order_harmless(s.naive_amplification, rtol));
  s.order = s.paper_order_used ? paper : bounded_groups_order(groups, s.rates, counts);
  s.worst_amplification = s.paper_order_used ? s.naive_amplification : amplification(groups, s.rates, s.order);
  s.cycle_contraction = union_bound(groups, counts);
  s.chebyshev_groups = groups;
  s.chebyshev_group_counts = counts;
  return s;
}

MultirateSchedule groups_chebyshev_schedule(const std::vector<ScaleGroup>& given, StepOrder order, double rtol) {
  require(!given.empty(), "groups_chebyshev: the spectrum has no scale groups");
  const std::vector<ScaleGroup> groups = widened(given);
  require(rtol > 0 && rtol < 1, "groups_chebyshev: the tolerance must lie in (0, 1)");
  std::vector<PetscInt> best;
  double best_cost = std::numeric_limits<double>::infinity();
  const int points = 60;
  for (int t = 0; t <= points; ++t) {  // per-cycle targets rtol .. 0.5, log-spaced
    const double target = std::exp(std::log(rtol) + (std::log(0.5) - std::log(rtol)) * t / points);
    std::vector<PetscInt> counts;
    try {
      counts = groups_chebyshev_counts(groups, target, kMaxStepsPerCycle);
    } catch (const Error&) {
      continue;
    }
    double log_contraction = kLogFloor;
    for (size_t g = 0; g < groups.size(); ++g) log_contraction = std::max(log_contraction, log_product_bound(groups, counts, g));
    const double contraction = std::exp(log_contraction);
    if (total(counts) > kMaxStepsPerCycle || !(contraction < 1)) continue;
    const double cycles = contraction > 0 ? std::max(1.0, std::ceil(std::log(rtol) / std::log(contraction))) : 1.0;
    if (total(counts) * cycles < best_cost) best_cost = total(counts) * cycles, best = counts;
  }
  require(!best.empty(), "groups_chebyshev: no cycle of at most " + std::to_string(kMaxStepsPerCycle) +
                             " steps contracts on these scale groups");
  return groups_chebyshev_schedule(groups, best, order, rtol);
}

namespace {

// The union of small intervals about the eigenvalues inside the groups, overlapping ones merged (ascending),
// each of relative half-width max(`margin`, `accuracy` eps lambda_max / lambda) (margin 0: the accuracy term alone);
// `member[k]`: the interval of descending[k], or -1 outside the groups.
std::vector<ScaleGroup> eigenvalue_intervals(const std::vector<ScaleGroup>& groups, const std::vector<double>& descending,
                                             double margin, double accuracy, std::vector<int>& member) {
  const double top = groups.front().sigma_max;
  std::vector<size_t> ascending(descending.size());
  for (size_t k = 0; k < ascending.size(); ++k) ascending[k] = k;
  std::sort(ascending.begin(), ascending.end(), [&](size_t a, size_t b) { return descending[a] < descending[b]; });
  std::vector<ScaleGroup> intervals;
  member.assign(descending.size(), -1);
  for (size_t k : ascending) {
    const double lambda = descending[k];
    const bool inside = std::any_of(groups.begin(), groups.end(), [&](const ScaleGroup& g) {
      return lambda >= g.sigma_min && lambda <= g.sigma_max;
    });
    if (!inside) continue;
    const double half = lambda * std::max(margin, accuracy * kRoundoff * top / lambda);
    if (!intervals.empty() && lambda - half <= intervals.back().sigma_max) {
      intervals.back().sigma_max = std::max(intervals.back().sigma_max, lambda + half);
      ++intervals.back().size;
    } else {
      intervals.push_back({lambda + half, lambda - half, 1});
    }
    member[k] = static_cast<int>(intervals.size()) - 1;
  }
  return intervals;
}

// Joins neighbouring intervals (ascending), the pair whose union is relatively narrowest first, until at most
// `limit` remain; `member` follows. Whether any were joined.
bool join_neighbours(std::vector<ScaleGroup>& intervals, std::vector<int>& member, size_t limit) {
  if (intervals.size() <= limit) return false;
  std::vector<int> last(intervals.size());  // the last original interval in each
  for (size_t k = 0; k < last.size(); ++k) last[k] = static_cast<int>(k);
  while (intervals.size() > limit) {
    size_t pick = 0;
    double narrowest = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k + 1 < intervals.size(); ++k) {
      const double a = intervals[k].sigma_min, b = intervals[k + 1].sigma_max, width = (b - a) / (b + a);
      if (width < narrowest) narrowest = width, pick = k;
    }
    intervals[pick] = {intervals[pick + 1].sigma_max, intervals[pick].sigma_min,
                       intervals[pick].size + intervals[pick + 1].size};
    last[pick] = last[pick + 1];
    intervals.erase(intervals.begin() + static_cast<std::ptrdiff_t>(pick) + 1);
    last.erase(last.begin() + static_cast<std::ptrdiff_t>(pick) + 1);
  }
  for (int& m : member)
    if (m >= 0) m = static_cast<int>(std::lower_bound(last.begin(), last.end(), m) - last.begin());
  return true;
}

// Each interval's part of the weights of its eigenvalues (none, or all zero: equal parts).
std::vector<double> interval_shares(size_t intervals, const std::vector<int>& member, const std::vector<double>& weights) {
  std::vector<double> share(intervals, 0.0);
  double total = 0;
  for (size_t k = 0; k < weights.size(); ++k)
    if (member[k] >= 0) share[static_cast<size_t>(member[k])] += weights[k], total += weights[k];
  for (double& w : share) w = total > 0 ? w / total : 1.0 / static_cast<double>(intervals);
  return share;
}

// eigenvalue_schedule's cycle on `intervals` (1 to kMaxEigenvalueIntervals of them, see the header);
// `weighted`: the shares are a start's. Throws msopt::Error at `max_steps` steps with intervals not done.
MultirateSchedule cycle_at_intervals(const std::vector<ScaleGroup>& intervals, const std::vector<double>& share,
                                     bool weighted, double rtol, size_t max_steps) {
  const size_t n = intervals.size();
  // factor[j][i]: log of the largest |1 - lambda / z_j| over interval i, z_j the centre of interval j.
  std::vector<std::vector<double>> factor(n, std::vector<double>(n));
  for (size_t j = 0; j < n; ++j)
    for (size_t i = 0; i < n; ++i)
      factor[j][i] = log_step_factor(intervals[i], 2 / (intervals[j].sigma_min + intervals[j].sigma_max));
  const double log_floor = std::log(kRoundoff), log_rtol = std::log(rtol);
  std::vector<double> log_share(n);  // log(sqrt(s n)), s floored at round-off (equal shares: 0)
  for (size_t i = 0; i < n; ++i)
    log_share[i] = 0.5 * std::log(std::max(share[i], kRoundoff * kRoundoff) * static_cast<double>(n));
  MultirateSchedule best;
  for (double bound = 1; bound <= kMaxOrderBound; bound *= 10) {
    // level: log of the bound on |p| per interval; floored: the same floored at round-off (RunningAmplification).
    std::vector<double> level(n, 0.0), floored(n, 0.0), excess(n);
    // excess: how far interval i is from done, in logs (equal shares: level - log rtol).
    auto update_excess = [&](size_t i) { excess[i] = std::max(level[i], level[i] + log_share[i] - log_rtol); };
    for (size_t i = 0; i < n; ++i) update_excess(i);
    MultirateSchedule s;
    double worst = 0;
    int forced = 0;
    // Whether a step at interval j keeps every floored level under the bound (the largest
    // eigenvalues, which small steps amplify most, checked first).
    const double log_bound = std::log(bound) + 1e-12;
    auto safe_step = [&](size_t j) {
      for (size_t i = n; i-- > 0;)
        if (std::max(floored[i], log_floor) + factor[j][i] > log_bound) return false;
      return true;
    };
    // The further from done (ties: the lower interval).
    auto further = [&](size_t a, size_t b) { return excess[a] > excess[b] || (excess[a] == excess[b] && a < b); };
    std::vector<size_t> open;  // intervals not done
    double peak = 0;           // the largest floored level (at least round-off), at interval `highest`
    size_t highest = 0;
    while (true) {
      open.clear();
      for (size_t i = 0; i < n; ++i)
        if (excess[i] > 0) open.push_back(i);
      if (open.empty()) break;
      require(s.rates.size() < max_steps, "eigenvalue schedule: more than " + std::to_string(max_steps) +
                                              " steps per cycle");
      // The furthest whose step is safe, else the furthest (forced).
      size_t pick = *std::min_element(open.begin(), open.end(), further);
      bool safe = safe_step(pick);
      if (!safe && peak <= log_bound) {
        // With every level under the bound only the intervals above twice a step's centre z can pass it, by
        // lambda / z - 1, less the larger z: the safe steps are those from some interval up (they ascend).
        size_t lo = pick + 1, hi = n;
        while (lo < hi) {
          const size_t mid = lo + (hi - lo) / 2;
          safe_step(mid) ? hi = mid : lo = mid + 1;
        }
        for (size_t j : open)
          if (j >= lo && (!safe || further(j, pick))) pick = j, safe = true;
      } else if (!safe) {
        // A level over the bound: of the steps that lower the highest under it, the furthest safe one.
        open.erase(std::remove_if(open.begin(), open.end(),
                                  [&](size_t j) { return floored[highest] + factor[j][highest] > log_bound; }),
                   open.end());
        std::sort(open.begin(), open.end(), further);
        const auto found = std::find_if(open.begin(), open.end(), safe_step);
        if (found != open.end()) pick = *found, safe = true;
      }
      forced += !safe;
      s.rates.push_back(2 / (intervals[pick].sigma_min + intervals[pick].sigma_max));
      peak = log_floor;
      for (size_t i = 0; i < n; ++i) {
        level[i] += factor[pick][i];
        floored[i] = std::max(floored[i], log_floor) + factor[pick][i];
        if (floored[i] > peak) peak = floored[i], highest = i;
        update_excess(i);
      }
      worst = std::max(worst, peak);
    }
    s.counts.assign(s.rates.size(), 1);
    for (size_t k = 0; k < s.rates.size(); ++k) s.order.push_back(static_cast<int>(k));
    s.cycle_contraction = std::exp(*std::max_element(level.begin(), level.end()));
    if (weighted) {
      double sum = 0;
      for (size_t i = 0; i < n; ++i) sum += share[i] * std::exp(2 * level[i]);
      s.start_residual = std::sqrt(sum);
    }
    s.worst_amplification = s.naive_amplification = std::exp(worst);
    s.eigenvalue_intervals = static_cast<PetscInt>(n);
    if (best.rates.empty() || s.worst_amplification < best.worst_amplification) best = std::move(s);
    if (forced == 0) break;
  }
  return best;
}

// A cycle's bound on max |p| over the worst of `intervals` at its end, and its worst running bound floored at
// round-off (logs), followed step by step.
struct CycleLevels {
  double end = 0, worst = 0;
};

CycleLevels follow_cycle(const std::vector<ScaleGroup>& intervals, const MultirateSchedule& s) {
  const double log_floor = std::log(kRoundoff);
  CycleLevels levels{-std::numeric_limits<double>::infinity(), 0};
  for (const ScaleGroup& interval : intervals) {
    double level = 0, floored = 0;
    for (int k : s.order) {
      const double factor = log_step_factor(interval, s.rates[static_cast<size_t>(k)]);
      level += factor;
      floored = std::max(floored, log_floor) + factor;
      levels.worst = std::max(levels.worst, floored);
    }
    levels.end = std::max(levels.end, level);
  }
  return levels;
}

}  // namespace

MultirateSchedule eigenvalue_schedule(const std::vector<ScaleGroup>& groups, const std::vector<double>& descending,
                                     double rtol, const std::function<std::vector<double>()>& start_weights) {
  require(!groups.empty(), "eigenvalue schedule: the spectrum has no scale groups");
  require(rtol > 0 && rtol < 1, "eigenvalue schedule: the tolerance must lie in (0, 1)");
  std::vector<int> member;
  std::vector<ScaleGroup> intervals =
      eigenvalue_intervals(groups, descending, kEigenvalueHalfWidth, kAccuracyTerms[0], member);
  const bool joined = join_neighbours(intervals, member, kMaxEigenvalueIntervals);
  require(!intervals.empty(), "eigenvalue schedule: no eigenvalue inside the scale groups");
  std::vector<double> weights;
  if (start_weights) {
    weights = start_weights();
    require(weights.size() == descending.size(), "eigenvalue schedule: " + std::to_string(weights.size()) +
                                                     " start weights for " + std::to_string(descending.size()) +
                                                     " eigenvalues");
  }
  const bool weighted = static_cast<bool>(start_weights);
  MultirateSchedule margined =
      cycle_at_intervals(intervals, interval_shares(intervals.size(), member, weights), weighted, rtol,
                         static_cast<size_t>(kMaxEigenvalueSteps));
  margined.eigenvalue_margin = kEigenvalueHalfWidth;
  margined.eigenvalue_accuracy = kAccuracyTerms[0];
  margined.eigenvalue_intervals_joined = joined;
  const PetscInt margined_steps_per_cycle = margined.steps_per_cycle();
  // Shorter cycles on the eigenvalues' accuracy alone (kAccuracyTerms) where they would let no eigenvalue grow,
  // harmlessly, were it off by kRoundingChoiceMargin: of these and the margined cycle, the one that reaches rtol
  // in the fewest steps with the gradient's rounding modelled (from the start, or equal components, on the
  // eigenvalues inside the groups); ties: the shorter cycle.
  const HeldEigenvalues held = held_eigenvalues(groups, descending, weights);
  std::vector<int> off_member;  // the intervals were the eigenvalues off by kRoundingChoiceMargin
  std::vector<ScaleGroup> off =
      eigenvalue_intervals(groups, descending, kRoundingChoiceMargin, kAccuracyTerms[0], off_member);
  join_neighbours(off, off_member, kMaxEigenvalueIntervals);
  const double inf = std::numeric_limits<double>::infinity();
  MultirateSchedule chosen = std::move(margined);
  double fewest = steps_to(chosen, held.values, held.weights, rtol, inf, kGradientNoise);
  for (double accuracy : kAccuracyTerms) {
    std::vector<int> accurate_member;
    std::vector<ScaleGroup> accurate = eigenvalue_intervals(groups, descending, 0, accuracy, accurate_member);
    const bool accurate_joined = join_neighbours(accurate, accurate_member, kMaxEigenvalueIntervals);
    MultirateSchedule tight;
    try {
      tight = cycle_at_intervals(accurate, interval_shares(accurate.size(), accurate_member, weights), weighted, rtol,
                                 static_cast<size_t>(margined_steps_per_cycle));
    } catch (const Error&) {  // not shorter
      continue;
    }
    if (tight.steps_per_cycle() >= margined_steps_per_cycle) continue;
    tight.eigenvalue_intervals_joined = accurate_joined;
    tight.eigenvalue_accuracy = accuracy;
    // Still |p| <= 1 there at the cycle's end, the worst amplification harmless (then the one reported).
    const CycleLevels levels = follow_cycle(off, tight);
    const double worst = std::exp(levels.worst);
    if (!(levels.end <= 0 && paper_order_harmless(worst, rtol))) continue;
    tight.worst_amplification = tight.naive_amplification = std::max(tight.worst_amplification, worst);
    const double steps = steps_to(tight, held.values, held.weights, rtol, fewest + 1, kGradientNoise);
    if (steps < fewest || (steps == fewest && steps < inf && tight.steps_per_cycle() < chosen.steps_per_cycle()))
      fewest = steps, chosen = std::move(tight);
  }
  return chosen;
}

}  // namespace msopt
