#include "msopt/optim/mrgd.hpp"

#include <cstdio>

#include "msopt/core/error.hpp"

namespace msopt {

MultirateGD::MultirateGD(MultirateSchedule schedule, std::string origin)
    : schedule_(std::move(schedule)), origin_(std::move(origin)) {}

void MultirateGD::step(std::vector<double>& w, const std::vector<double>& g) {
  const double rate = schedule_.rates[schedule_.order[position_]];
  for (size_t k = 0; k < w.size(); ++k) w[k] -= rate * g[k];
  position_ = (position_ + 1) % schedule_.order.size();
}

std::string MultirateGD::describe() const { return "  mrgd (" + origin_ + "):\n" + schedule_.describe(); }

void MultirateGD::set_state(const std::vector<double>& state) {
  require(state.size() == 1 && state[0] >= 0 && state[0] < static_cast<double>(schedule_.order.size()),
          "the checkpoint's MrGD cycle position does not fit this schedule");
  position_ = static_cast<size_t>(state[0]);
}

std::unique_ptr<Optimizer> create_mrgd(Options& o, const ProblemInfo& p) {
  double eta = o.real("-mrgd_eta", 0, "eta of eta_i = 1/(eta sigma_i), >= 1 (default: chosen to minimise cost)");
  auto rates = o.real_list("-mrgd_rates", "rates eta_i per group, largest scale first (default from the spectrum)");
  auto counts = o.integer_list("-mrgd_counts", "steps n_i per group per cycle (default: Theorem 3.4)");
  std::string order = o.choice("-mrgd_order", "bounded", {"bounded", "paper"},
                               "step order in a cycle: bounded amplification, or Algorithm 1's");
  if (o.help_requested()) return nullptr;
  require(!p.groups.empty(), "MrGD needs the spectrum's scale groups (give -spec_file or let train compute it)");
  require(p.groups.size() >= 2 || !rates.empty(),
          "the spectrum has no detectable scale groups (one group only): MrGD needs at least two; lower "
          "-spec_gap_ratio, give -mrgd_rates, or use -opt_type gd");
  require(!o.given("-mrgd_eta") || eta >= 1, "option -mrgd_eta: must be at least 1 (rates at most 1/sigma_i)");
  for (double r : rates) require(r > 0, "option -mrgd_rates: every rate must be positive");
  for (PetscInt c : counts) require(c > 0, "option -mrgd_counts: every count must be positive");

  const std::vector<ScaleGroup>& groups = p.groups;
  require(rates.empty() || rates.size() == groups.size(),
          "option -mrgd_rates: " + std::to_string(rates.size()) + " rates for " + std::to_string(groups.size()) +
              " scale groups in the spectrum");
  std::string origin;
  if (rates.empty() && !o.given("-mrgd_eta") && counts.empty() && order == "bounded") {
    double chosen = 0;
    auto schedule = select_schedule(groups, &chosen);
    char text[120];
    std::snprintf(text, sizeof text, "eta_i = 1/(eta sigma_i), eta = %.2f chosen automatically, Theorem 3.4 counts",
                  chosen);
    return std::make_unique<MultirateGD>(schedule, text);
  }
  if (rates.empty()) {
    if (!o.given("-mrgd_eta")) eta = 1.5;
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
  origin += order == "paper" ? ", Algorithm 1's order" : ", bounded order";
  return std::make_unique<MultirateGD>(make_schedule(groups, rates, counts, order == "paper"), origin);
}

}  // namespace msopt
