#include "msopt/optim/mrgd.hpp"

#include <petscsys.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

#include "msopt/core/error.hpp"
#include "msopt/optim/chebyshev_schedule.hpp"
#include "msopt/optim/groups_chebyshev_schedule.hpp"

namespace msopt {

std::string MultirateGD::view() const {
  std::string text = "  mrgd (" + origin_ + "):\n" + schedule_.describe();
  if (settings_.refresh > 0)
    text += "  rebuilt from the Hessian spectrum at the current point every " + std::to_string(settings_.refresh) +
            " evaluations (at cycle ends)\n";
  if (guard_)
    text += "  a cycle that raises the loss is undone and the rates capped at a quarter of its largest, the cap "
            "doubling after every cycle kept (-mrgd_no_guard: every cycle kept)\n";
  return text;
}

// [position, evaluations since rebuild, m, rates (m), counts (m), steps, order (steps),
//  then the guard's: rate cap, rejections, the cycle start's loss, n, the cycle start (n),
//  and the last rebuild's groups: count, then sigma_max, sigma_min, size of each]
std::vector<double> MultirateGD::state() const {
  std::vector<double> s{static_cast<double>(position_), static_cast<double>(since_refresh_),
                        static_cast<double>(schedule_.rates.size())};
  s.insert(s.end(), schedule_.rates.begin(), schedule_.rates.end());
  for (PetscInt c : schedule_.counts) s.push_back(static_cast<double>(c));
  s.push_back(static_cast<double>(schedule_.order.size()));
  for (int g : schedule_.order) s.push_back(g);
  s.insert(s.end(), {rate_cap_, static_cast<double>(rejections_), cycle_start_loss_,
                     static_cast<double>(cycle_start_.size())});
  s.insert(s.end(), cycle_start_.begin(), cycle_start_.end());
  s.push_back(static_cast<double>(groups_.size()));
  for (const ScaleGroup& g : groups_) s.insert(s.end(), {g.sigma_max, g.sigma_min, static_cast<double>(g.size)});
  return s;
}

namespace {

const char* const kBadState = "the checkpoint's MrGD state is not a valid schedule";

// x is a whole number in [0, limit).
bool whole_below(double x, double limit) { return x >= 0 && x < limit && x == std::floor(x); }

struct GuardState {
  double rate_cap = 0;
  PetscInt rejections = 0;
  double cycle_start_loss = 0;
  std::vector<double> cycle_start;
  std::vector<ScaleGroup> groups;
};

// The guard's part of a state from s[at]: rate cap, rejections, the cycle
// start's loss, n, the cycle start (n: 0 or `dim`), the groups' count, then
// sigma_max, sigma_min, size of each.
GuardState guard_state(const std::vector<double>& s, size_t at, size_t dim) {
  const char* bad = kBadState;
  const auto whole = whole_below;
  require(s.size() >= at + 5 && std::isfinite(s[at]) && s[at] >= 0 && whole(s[at + 1], 1e15) &&
              std::isfinite(s[at + 2]) && whole(s[at + 3], 1e15),
          bad);
  GuardState g{s[at], static_cast<PetscInt>(s[at + 1]), s[at + 2], {}, {}};
  const size_t n = static_cast<size_t>(s[at + 3]), at_groups = at + 4 + n;
  require((n == 0 || n == dim) && s.size() > at_groups && whole(s[at_groups], 1e6) &&
              s.size() == at_groups + 1 + 3 * static_cast<size_t>(s[at_groups]),
          bad);
  g.cycle_start.assign(s.begin() + static_cast<std::ptrdiff_t>(at + 4), s.begin() + static_cast<std::ptrdiff_t>(at_groups));
  for (size_t k = at_groups + 1; k < s.size(); k += 3) {
    require(s[k] >= s[k + 1] && s[k + 1] > 0 && std::isfinite(s[k]) && whole(s[k + 2], 1e15), bad);
    g.groups.push_back({s[k], s[k + 1], static_cast<PetscInt>(s[k + 2])});
  }
  return g;
}

}  // namespace

void MultirateGD::set_state(const std::vector<double>& s) {
  const char* bad = kBadState;
  const auto whole = whole_below;
  require(s.size() >= 4 && whole(s[2], 1e6) && s[2] >= 1, bad);
  const size_t m = static_cast<size_t>(s[2]);
  require(s.size() >= 4 + 2 * m && whole(s[3 + 2 * m], 1e8) && s[3 + 2 * m] >= 1, bad);
  const size_t steps = static_cast<size_t>(s[3 + 2 * m]);
  const size_t guard = 4 + 2 * m + steps;  // where the guard's part starts (none before 2026-12-03)
  require(s.size() >= guard && whole(s[0], static_cast<double>(steps)) && whole(s[1], 1e15), bad);
  GuardState restored;
  if (s.size() > guard) restored = guard_state(s, guard, w_size_);
  MultirateSchedule schedule = schedule_;
  schedule.rates.assign(s.begin() + 3, s.begin() + 3 + m);
  schedule.counts.clear();
  schedule.order.clear();
  for (size_t i = 0; i < m; ++i) {
    require(std::isfinite(schedule.rates[i]) && schedule.rates[i] > 0 && whole(s[3 + m + i], 1e8), bad);
    schedule.counts.push_back(static_cast<PetscInt>(s[3 + m + i]));
  }
  for (size_t k = 0; k < steps; ++k) {
    require(whole(s[4 + 2 * m + k], static_cast<double>(m)), bad);
    schedule.order.push_back(static_cast<int>(s[4 + 2 * m + k]));
  }
  schedule_ = std::move(schedule);
  position_ = static_cast<size_t>(s[0]);
  since_refresh_ = static_cast<PetscInt>(s[1]);
  rate_cap_ = restored.rate_cap;
  rejections_ = restored.rejections;
  cycle_start_loss_ = restored.cycle_start_loss;
  cycle_start_ = std::move(restored.cycle_start);
  groups_ = std::move(restored.groups);
}

namespace {

// groups_chebyshev's cut inside the spectrum's groups (whose default gap ratio is 3).
constexpr double kSplitGapRatio = 1.5;

// With one group only (a refresh may find no gap), MrGD is GD at 1/(eta sigma_max).
MultirateSchedule single_rate_schedule(const std::vector<ScaleGroup>& groups, double eta) {
  return make_schedule(groups, rates_from_eta(groups, eta), {1}, StepOrder::bounded, 1);
}

StepOrder step_order(const std::string& name) {
  return name == "paper" ? StepOrder::paper : name == "bounded" ? StepOrder::bounded : StepOrder::automatic;
}

// Above their intervals Chebyshev cycles amplify steeply (T_k grows like cosh): their top must bound the Hessian's.
void require_top_bound(const ProblemInfo& p, const std::string& schedule) {
  require(!p.top_underestimated, "-mrgd_schedule " + schedule +
                                     ": the class blocks can underestimate the Hessian's largest eigenvalue by up to "
                                     "2x; use -spec_hessian full");
}

// The schedule's builder from the scale groups, and where its rates come from.
struct Builder {
  ScheduleBuilder build;
  std::string origin;
  std::optional<MultirateSchedule> first{};  // the first schedule, where not build(problem's groups)
};

// The Chebyshev cycle of chebyshev_schedule.hpp on the whole spectrum (or [sigma_1 / kappa, sigma_1]).
Builder chebyshev_builder(const MrgdSettings& s, const ProblemInfo& p) {
  require_top_bound(p, "chebyshev");
  require(s.kappa > 0 || p.sigma_max() > p.sigma_min(),
          "-mrgd_schedule chebyshev: give -mrgd_kappa (the spectrum holds one eigenvalue)");
  const double kappa = s.kappa;
  const PetscInt steps = s.steps;
  ScheduleBuilder build = [kappa, steps](const std::vector<ScaleGroup>& g, double rate_cap) {
    double k = kappa > 0 ? kappa : g.front().sigma_max / g.back().sigma_min;
    if (rate_cap > 0) k = std::max(1.0, std::min(k, g.front().sigma_max * rate_cap));  // nodes >= 1/rate_cap
    return chebyshev_schedule(g.front().sigma_max, k, steps > 0 ? static_cast<int>(steps) : chebyshev_default_steps(k));
  };
  return {build, kappa > 0 ? "rates 1/lambda_k at the Chebyshev nodes of [sigma_1 / kappa, sigma_1]"
                           : "rates 1/lambda_k at the Chebyshev nodes of the whole spectrum"};
}

// A schedule and what it was built from.
struct BuiltSchedule {
  MultirateSchedule schedule;
  std::string origin;
};

// The per-group Chebyshev cycle of groups_chebyshev_schedule.hpp. With every
// eigenvalue of a quadratic known, on the groups cut at the gaps inside them,
// or, under the automatic order, the cycle at the eigenvalues where, from the
// start (`start_weights`: its squared components per eigenvalue; none: equal
// ones), it reaches rtol in fewer steps (or no Chebyshev cycle fits in its
// limits) and its amplification is harmless.
// That cycle is built for the same start (eigenvalue_schedule's shares).
BuiltSchedule groups_chebyshev_from(const std::vector<ScaleGroup>& groups, const std::vector<double>& eigenvalues,
                                    const std::function<std::vector<double>()>& start_weights, StepOrder order,
                                    double rtol) {
  const std::string origin = "rates 1/lambda at the Chebyshev nodes of each scale group, counts from the bound on the union";
  if (eigenvalues.empty()) return {groups_chebyshev_schedule(groups, order, rtol), origin};
  // Narrower intervals pay where the groups hold clusters: on 48 random problems of 3 to 6 groups
  // (bench/random_multiscale_cases.py) the evaluations to 1e-8 fell by up to 29 % and never rose (issue 12).
  const std::vector<ScaleGroup> pieces = split_scale_groups(groups, eigenvalues, kSplitGapRatio);
  char cut[80] = "";
  if (pieces.size() > groups.size())
    std::snprintf(cut, sizeof cut, "; groups cut at the gaps of ratio >= %g inside them", kSplitGapRatio);
  // Without a Chebyshev cycle within its limits, the cycle at the eigenvalues may still stand in.
  std::optional<MultirateSchedule> chebyshev;
  std::string chebyshev_failure;
  try {
    chebyshev = groups_chebyshev_schedule(pieces, order, rtol);
  } catch (const Error& e) {
    if (order != StepOrder::automatic) throw;
    chebyshev_failure = e.what();
  }
  // `why`: why the cycle at the eigenvalues is not taken.
  auto chebyshev_cycle = [&](const std::string& why) -> BuiltSchedule {
    if (!chebyshev) throw Error(chebyshev_failure + ", nor does the cycle at the eigenvalues (" + why + ")");
    return {std::move(*chebyshev), origin + cut};
  };
  if (order != StepOrder::automatic) return chebyshev_cycle("");
  MultirateSchedule at_eigenvalues;
  bool weights_failed = false;  // an error of the start's weights is the run's, not a limit of the cycle
  auto tracked_weights = [&] {
    weights_failed = true;
    std::vector<double> w = start_weights();
    weights_failed = false;
    return w;
  };
  try {
    at_eigenvalues = eigenvalue_schedule(groups, eigenvalues, rtol,
                                         start_weights ? std::function<std::vector<double>()>(tracked_weights) : nullptr);
  } catch (const Error& e) {  // more than 400000 steps per cycle: the Chebyshev cycle stands
    if (weights_failed) throw;
    return chebyshev_cycle(e.what());
  }
  if (!paper_order_harmless(at_eigenvalues.worst_amplification, rtol)) {
    char why[80];
    std::snprintf(why, sizeof why, "its amplification %.1e is not harmless", at_eigenvalues.worst_amplification);
    return chebyshev_cycle(why);
  }
  const HeldEigenvalues held = held_eigenvalues(groups, eigenvalues, start_weights ? start_weights() : std::vector<double>());
  const double chebyshev_steps =
      chebyshev ? steps_to(*chebyshev, held.values, held.weights, rtol) : std::numeric_limits<double>::infinity();
  if (!chebyshev || steps_to(at_eigenvalues, held.values, held.weights, rtol, chebyshev_steps) < chebyshev_steps)
    return {std::move(at_eigenvalues),
            std::string("rates 1/lambda at the eigenvalues (every one known), each next where ") +
                (start_weights ? "the start's error bound" : "the bound on |p|") + " is furthest from the tolerance"};
  return chebyshev_cycle("");
}

Builder groups_chebyshev_builder(const MrgdSettings& s, const ProblemInfo& p) {
  require_top_bound(p, "groups_chebyshev");
  const StepOrder order = step_order(s.order);
  const double rtol = p.rtol;
  // A constant Hessian's eigenvalues hold at every point: a rebuild (-mrgd_refresh)
  // uses them, and the start's weights, on the new groups as set-up does, so it
  // makes the same choice of cycle.
  const std::vector<double> eigenvalues = p.eigenvalues;
  // The start's weights cost a pass over the data and an eigendecomposition:
  // computed the first time a choice needs them (collective: every rank makes the same choices).
  std::function<std::vector<double>()> weights;
  if (p.start_weights) {
    auto cache = std::make_shared<std::vector<double>>();
    weights = [cache, source = p.start_weights, n = eigenvalues.size()] {
      if (cache->empty()) {
        *cache = source();
        require(cache->size() == n, "MrGD: " + std::to_string(cache->size()) + " start weights for " +
                                        std::to_string(n) + " eigenvalues");
      }
      return *cache;
    };
  }
  ScheduleBuilder build = [order, rtol, eigenvalues, weights](const std::vector<ScaleGroup>& g, double) {
    return groups_chebyshev_from(g, eigenvalues, weights, order, rtol).schedule;
  };
  BuiltSchedule first = groups_chebyshev_from(p.groups, eigenvalues, weights, order, rtol);
  return {build, first.origin, std::move(first.schedule)};
}

// Theorem 3.4's schedule, rebuilt from each new spectrum (-mrgd_refresh).
Builder theorem34_refresh_builder(const MrgdSettings& s, const ProblemInfo& p) {
  const bool automatic = !s.eta_given;
  const StepOrder step = step_order(s.order);
  const double fixed_eta = s.eta_given ? s.eta : 1.5, rtol = p.rtol;
  ScheduleBuilder build = [automatic, step, fixed_eta, rtol](const std::vector<ScaleGroup>& g, double) {
    if (g.size() < 2) return single_rate_schedule(g, automatic ? 1.05 : fixed_eta);
    if (automatic) return select_schedule(g, nullptr, step, rtol);
    auto r = rates_from_eta(g, fixed_eta);
    return make_schedule(g, r, theorem34_counts(g, r), step, rtol);
  };
  return {build, std::string(automatic ? "eta chosen automatically" : "eta = " + std::to_string(fixed_eta)) +
                     ", Theorem 3.4 counts"};
}

// Theorem 3.4's schedule on a fixed spectrum: eta chosen or given, rates and counts given or derived.
Builder theorem34_builder(const MrgdSettings& s, const ProblemInfo& p) {
  const std::vector<ScaleGroup>& groups = p.groups;
  require(groups.size() >= 2 || !s.rates.empty(),
          "the spectrum has no detectable scale groups (one group only): MrGD needs at least two; lower "
          "-spec_gap_ratio, give -mrgd_rates, or use -opt_type gd");
  require(s.rates.empty() || s.rates.size() == groups.size(),
          "option -mrgd_rates: " + std::to_string(s.rates.size()) + " rates for " + std::to_string(groups.size()) +
              " scale groups in the spectrum");
  const StepOrder step = step_order(s.order);
  const double rtol = p.rtol;
  if (s.rates.empty() && !s.eta_given && s.counts.empty()) {
    double chosen = 0;
    MultirateSchedule schedule = select_schedule(groups, &chosen, step, rtol);
    char text[120];
    std::snprintf(text, sizeof text, "eta_i = 1/(eta sigma_i), eta = %.2f chosen automatically, Theorem 3.4 counts",
                  chosen);
    return {[schedule](const std::vector<ScaleGroup>&, double) { return schedule; }, text};
  }
  std::vector<double> rates = s.rates;
  std::vector<PetscInt> counts = s.counts;
  std::string origin;
  if (rates.empty()) {
    const double eta = s.eta_given ? s.eta : 1.5;
    rates = rates_from_eta(groups, eta);
    origin = "eta_i = 1/(eta sigma_i), eta = " + std::to_string(eta);
  } else {
    origin = "rates from -mrgd_rates";
  }
  if (counts.empty()) {
    counts = theorem34_counts(groups, rates);
    origin += ", Theorem 3.4 counts";
  } else {
    require(counts.size() == rates.size(), "option -mrgd_counts: needs one count per rate (" +
                                               std::to_string(rates.size()) + ")");
    origin += ", counts from -mrgd_counts";
  }
  MultirateSchedule schedule = make_schedule(groups, rates, counts, step, rtol);
  return {[schedule](const std::vector<ScaleGroup>&, double) { return schedule; }, origin};
}

// The combinations of options that no spectrum can make valid.
void check_settings(const MrgdSettings& s, const Options& o) {
  require(s.refresh == 0 || (s.rates.empty() && s.counts.empty()),
          "option -mrgd_refresh: the rates and counts come from each new spectrum; drop -mrgd_rates/-mrgd_counts");
  require(s.refresh > 0 || !o.given("-mrgd_no_guard"), "option -mrgd_no_guard: the guard acts with -mrgd_refresh only");
  auto refuse = [&](std::initializer_list<const char*> names) {
    for (const char* name : names)
      require(!o.given(name), std::string("option ") + name + ": not used by -mrgd_schedule " + s.schedule);
  };
  if (s.schedule == "chebyshev") {
    refuse({"-mrgd_eta", "-mrgd_rates", "-mrgd_counts", "-mrgd_order"});
    require(!s.kappa_given || s.kappa > 1, "option -mrgd_kappa: must be greater than 1");
    require(s.steps <= 4096 && (s.steps & (s.steps - 1)) == 0, "option -mrgd_steps: must be a power of 2, at most 4096");
    return;
  }
  if (s.schedule == "groups_chebyshev") {
    refuse({"-mrgd_eta", "-mrgd_rates", "-mrgd_counts", "-mrgd_kappa", "-mrgd_steps"});
    return;
  }
  require(!s.kappa_given && !s.steps_given, "options -mrgd_kappa and -mrgd_steps belong to -mrgd_schedule chebyshev");
  require(!s.eta_given || s.eta >= 1, "option -mrgd_eta: must be at least 1 (rates at most 1/sigma_i)");
  for (double r : s.rates) require(r > 0, "option -mrgd_rates: every rate must be positive");
  for (PetscInt c : s.counts) require(c > 0, "option -mrgd_counts: every count must be positive");
}

// A cycle that raises the loss by more than this, relative, is rejected (the
// loss's own rounding stays far below it).
constexpr double kLossRiseTolerance = 1e-10;
// After a rejected cycle the rates are capped at its largest over this; the
// cap doubles after every cycle kept.
constexpr double kRateCapCut = 4;

// `groups` (descending) with no eigenvalue under 1/cap: groups wholly under it
// are left out (their directions then only shrink, as every factor 1 - lambda
// eta of a rate eta <= cap does there), the lowest kept starts at 1/cap; one
// group at 1/cap when all lie under it.
std::vector<ScaleGroup> under_rate_cap(const std::vector<ScaleGroup>& groups, double cap) {
  const double floor = 1 / cap;
  std::vector<ScaleGroup> kept;
  for (ScaleGroup g : groups) {
    if (g.sigma_max <= floor) break;
    g.sigma_min = std::max(g.sigma_min, floor);
    kept.push_back(g);
  }
  if (kept.empty()) kept.push_back({floor, floor, 1});
  return kept;
}

}  // namespace

void MultirateGD::step(std::vector<double>& w, const std::vector<double>& g) {
  if (guard_ && position_ == 0 && !keep_cycle(w)) return;
  const double rate = schedule_.rates[schedule_.order[position_]];
  for (size_t k = 0; k < w.size(); ++k) w[k] -= rate * g[k];
  position_ = (position_ + 1) % schedule_.order.size();
  ++since_refresh_;
  if (build_ && !guard_ && position_ == 0 && since_refresh_ >= settings_.refresh) rebuild(w);
}

bool MultirateGD::cycle_raised_loss() const {
  return !cycle_start_.empty() && !(loss_ <= cycle_start_loss_ + kLossRiseTolerance * std::abs(cycle_start_loss_));
}

bool MultirateGD::keep_cycle(std::vector<double>& w) {
  if (cycle_raised_loss()) {
    const double top = *std::max_element(schedule_.rates.begin(), schedule_.rates.end());
    rate_cap_ = top / kRateCapCut;
    ++rejections_;
    PetscPrintf(PETSC_COMM_WORLD,
                "  mrgd: cycle rejected (%d): the loss rose from %.6e to %.6e; back to its start, rates capped "
                "at %.3e\n",
                static_cast<int>(rejections_), cycle_start_loss_, loss_, rate_cap_);
    w = cycle_start_;
    cycle_start_.clear();  // the next gradient, at w, starts the next cycle
    rebuild(w);
    return false;
  }
  const bool relax = !cycle_start_.empty() && rate_cap_ > 0;
  cycle_start_ = w;
  cycle_start_loss_ = loss_;
  if (since_refresh_ >= settings_.refresh) {  // after the verdict: the cap is known
    if (relax) rate_cap_ *= 2;
    rebuild(w);
  } else if (relax) {  // the same groups under a cap twice as high
    rate_cap_ *= 2;
    build_from_groups();
    if (rate_cap_ > 0)
      PetscPrintf(PETSC_COMM_WORLD, "  mrgd: rates capped at %.3e\n", rate_cap_);
    else
      PetscPrintf(PETSC_COMM_WORLD, "  mrgd: rates no longer capped\n");
  }
  return true;
}

// Every rank holds the same w, so every rank builds the same schedule (or fails alike).
void MultirateGD::rebuild(const std::vector<double>& w) {
  groups_ = groups_at_(w);
  build_from_groups();
  since_refresh_ = 0;
  ++refreshes_;
  double low = schedule_.rates.front(), high = low;
  for (double r : schedule_.rates) low = std::min(low, r), high = std::max(high, r);
  const bool at_eigenvalues = schedule_.eigenvalue_intervals > 0;
  const size_t count = at_eigenvalues                       ? static_cast<size_t>(schedule_.eigenvalue_intervals)
                       : schedule_.chebyshev_groups.empty() ? schedule_.rates.size()
                                                            : schedule_.chebyshev_groups.size();
  PetscPrintf(PETSC_COMM_WORLD, "  mrgd: schedule rebuilt (%d): %zu %s, rates %.3e .. %.3e, %d steps per cycle\n",
              static_cast<int>(refreshes_), count, at_eigenvalues ? "eigenvalue intervals" : "groups", low, high,
              static_cast<int>(schedule_.steps_per_cycle()));
}

void MultirateGD::build_from_groups() {
  auto build = [this](double cap) {
    const std::vector<ScaleGroup> groups = cap > 0 ? under_rate_cap(groups_, cap) : groups_;
    try {
      return build_(groups, cap);
    } catch (const Error& e) {
      if (groups.empty()) throw;
      PetscPrintf(PETSC_COMM_WORLD, "  mrgd: no schedule from the spectrum here (%s): one rate, 1/(1.05 sigma_1)\n",
                  e.what());
      return single_rate_schedule({groups.front()}, 1.05);
    }
  };
  schedule_ = build(0);
  if (rate_cap_ <= 0) return;
  if (*std::max_element(schedule_.rates.begin(), schedule_.rates.end()) <= rate_cap_)
    rate_cap_ = 0;  // the cap no longer binds: lifted
  else
    schedule_ = build(rate_cap_);
}

void MultirateGD::set_from_options(Options& o) {
  MrgdSettings& s = settings_;
  s = MrgdSettings{};
  s.eta = o.real("-mrgd_eta", 0, "eta of eta_i = 1/(eta sigma_i), >= 1 as in Theorem 3.4 (default: chosen in [0.55, 8] to minimise the "
                     "predicted evaluations)");
  s.rates = o.real_list("-mrgd_rates", "rates eta_i per group, largest scale first (default from the spectrum)");
  s.counts = o.integer_list("-mrgd_counts", "steps n_i per group per cycle (default: Theorem 3.4)");
  s.order = o.choice("-mrgd_order", "auto", {"auto", "bounded", "paper"},
                     "step order in a cycle: Algorithm 1's where its amplification is harmless at -opt_tol, "
                     "else bounded (auto), always bounded, or always Algorithm 1's");
  s.refresh = o.nonnegative_integer(
      "-mrgd_refresh", 0, "rebuild the rates from the Hessian spectrum at the current point every K evaluations (0: never)");
  s.guard = !o.flag("-mrgd_no_guard", "with -mrgd_refresh on a loss that is not a quadratic, keep every cycle "
                                      "(default: undo a cycle that raises the loss and cap the rates)");
  s.schedule = o.choice("-mrgd_schedule", "theorem34", {"theorem34", "chebyshev", "groups_chebyshev"},
                        "rates and counts: eta_i = 1/(eta sigma_i) per scale group with Theorem 3.4's counts; "
                        "one step at each Chebyshev node of [sigma_1 / kappa, sigma_1]; or steps at the "
                        "Chebyshev nodes of every scale group's interval, counts chosen for -opt_tol");
  s.kappa = o.real("-mrgd_kappa", 0, "chebyshev: the interval's ratio (default: the whole spectrum's, sigma_1 "
                                     "over the bottom group's smallest eigenvalue)");
  s.steps = o.nonnegative_integer("-mrgd_steps", 0, "chebyshev: steps per cycle, a power of 2 "
                                                    "(default: the one nearest sqrt(kappa))");
  s.eta_given = o.given("-mrgd_eta");
  s.kappa_given = o.given("-mrgd_kappa");
  s.steps_given = o.given("-mrgd_steps");
  if (!o.help_requested()) check_settings(s, o);
}

void MultirateGD::set_up(const ProblemInfo& p) {
  const MrgdSettings& s = settings_;
  require(!p.groups.empty(), "MrGD needs the spectrum's scale groups (give -spec_file or let train compute it)");
  require(s.refresh == 0 || static_cast<bool>(p.groups_at),
          "option -mrgd_refresh: this run cannot compute Hessian spectra");
  const Builder builder = s.schedule == "chebyshev"          ? chebyshev_builder(s, p)
                          : s.schedule == "groups_chebyshev" ? groups_chebyshev_builder(s, p)
                          : s.refresh > 0                    ? theorem34_refresh_builder(s, p)
                                                             : theorem34_builder(s, p);
  first_schedule_ = builder.first ? *builder.first : builder.build(p.groups, 0);
  origin_ = builder.origin;
  build_ = s.refresh > 0 ? builder.build : ScheduleBuilder{};
  groups_at_ = s.refresh > 0 ? p.groups_at : nullptr;
  guard_ = s.refresh > 0 && p.hessian_moves && s.guard;
  w_size_ = static_cast<size_t>(p.dim);
  reset();
}

void MultirateGD::reset() {
  schedule_ = first_schedule_;
  position_ = 0;
  since_refresh_ = 0;
  refreshes_ = 0;
  cycle_start_.clear();
  cycle_start_loss_ = 0;
  rate_cap_ = 0;
  rejections_ = 0;
  groups_.clear();
}

std::unique_ptr<Optimizer> create_mrgd() { return std::make_unique<MultirateGD>(); }

}  // namespace msopt
