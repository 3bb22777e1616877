#include "tao_option_map.hpp"

#include <petscsys.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "msopt/core/error.hpp"

namespace msopt::tao {

namespace {

const std::vector<MappedOption> kSpectrumOptions = {
    {"spec_method", "-spec_method", "Hessian spectrum: auto|all|extremes|largest (msopt's -spec_method)"},
    {"spec_nev", "-spec_nev", "Hessian spectrum: eigenvalues at each end for extremes (msopt's -spec_nev)"},
    {"spec_gap_ratio", "-spec_gap_ratio", "a scale group ends where lambda_k/lambda_k+1 >= this (msopt's -spec_gap_ratio)"},
    {"spec_floor", "-spec_floor", "leave eigenvalues <= floor * largest out of the groups (msopt's -spec_floor)"},
    {"spec_max_kappa", "-spec_max_kappa", "cut groups into bands spanning at most this ratio (msopt's -spec_max_kappa)"},
};

std::vector<MappedOption> with_spectrum(std::vector<MappedOption> own) {
  own.insert(own.end(), kSpectrumOptions.begin(), kSpectrumOptions.end());
  return own;
}

const std::map<std::string, std::vector<MappedOption>>& table() {
  static const std::map<std::string, std::vector<MappedOption>> options = {
      {"gd", with_spectrum({{"lr", "-opt_lr", "learning rate (default 2/(sigma_max + sigma_min) of the groups)"}})},
      {"heavyball", with_spectrum({{"lr", "-opt_lr", "learning rate (default from the groups' extremes)"},
                                   {"momentum", "-opt_momentum", "momentum in [0, 1) (default from the groups' extremes)"}})},
      {"nesterov", with_spectrum({{"lr", "-opt_lr", "learning rate (default 1/sigma_max)"},
                                  {"momentum", "-opt_momentum", "momentum in [0, 1) (default from sqrt(kappa))"}})},
      {"adam",
       {{"lr", "-opt_lr", "learning rate (default 1e-3)"},
        {"beta1", "-adam_beta1", "first-moment decay (default 0.9)"},
        {"beta2", "-adam_beta2", "second-moment decay (default 0.999)"},
        {"epsilon", "-adam_epsilon", "epsilon (default 1e-8)"}}},
      {"mrgd", with_spectrum({{"rates", "-mrgd_rates", "rates eta_i per scale group, largest scale first"},
                              {"counts", "-mrgd_counts", "steps n_i per group per cycle (default: Theorem 3.4)"},
                              {"eta", "-mrgd_eta", "eta of eta_i = 1/(eta sigma_i), >= 1 (default: chosen to minimise cost)"},
                              {"order", "-mrgd_order", "step order in a cycle: bounded|paper"},
                              {"schedule", "-mrgd_schedule", "theorem34|chebyshev"},
                              {"kappa", "-mrgd_kappa", "chebyshev: the interval's ratio"},
                              {"steps", "-mrgd_steps", "chebyshev: steps per cycle, a power of 2"}})},
  };
  return options;
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Owns a private options database holding `values`, the default one while it lives.
class PushedOptions {
 public:
  explicit PushedOptions(const std::map<std::string, std::string>& values) {
    MSOPT_PETSC(PetscOptionsCreate(&db_));
    try {
      for (const auto& [name, value] : values)
        MSOPT_PETSC(PetscOptionsSetValue(db_, name.c_str(), value.empty() ? nullptr : value.c_str()));
      MSOPT_PETSC(PetscOptionsPush(db_));
    } catch (...) {
      PetscOptionsDestroy(&db_);
      throw;
    }
  }
  ~PushedOptions() {
    PetscOptionsPop();
    PetscOptionsDestroy(&db_);
  }
  PushedOptions(const PushedOptions&) = delete;
  PushedOptions& operator=(const PushedOptions&) = delete;

 private:
  PetscOptions db_ = nullptr;
};

}  // namespace

const std::vector<MappedOption>& mapped_options(const std::string& type) {
  auto it = table().find(type);
  if (it == table().end()) throw LocalError("internal: no TAO option table for '" + type + "'");
  return it->second;
}

bool uses_spectrum(const std::string& type) { return type != "adam"; }

std::string MappedValues::tao_name(const std::string& key) const { return "-" + prefix_ + "tao_" + type_ + "_" + key; }

std::string MappedValues::translate(const std::string& message) const {
  std::map<std::string, std::string> names{{"-opt_type", "-" + prefix_ + "tao_type"}};
  for (const auto& o : mapped_options(type_)) names[o.msopt] = tao_name(o.key);
  std::string out;
  size_t k = 0;
  while (k < message.size()) {
    bool replaced = false;
    if (message[k] == '-' && (k == 0 || !name_char(message[k - 1])))
      for (const auto& [from, to] : names)
        if (message.compare(k, from.size(), from) == 0 &&
            (k + from.size() == message.size() || !name_char(message[k + from.size()]))) {
          out += to;
          k += from.size();
          replaced = true;
          break;
        }
    if (!replaced) out += message[k++];
  }
  return out;
}

template <class T, class F>
T MappedValues::with_options(F&& read) const {
  try {
    PushedOptions pushed(values_);
    Options options(comm_, "tao " + type_, "msopt TAO type");
    return read(options);
  } catch (const Error& e) {
    throw Error(translate(e.what()));
  }
}

std::unique_ptr<StepOptimizer> MappedValues::create_optimizer() const {
  return with_options<std::unique_ptr<StepOptimizer>>([&](Options& options) {
    std::unique_ptr<Optimizer> created = msopt::create_optimizer(type_);
    created->set_from_options(options);
    return std::unique_ptr<StepOptimizer>(static_cast<StepOptimizer*>(created.release()));
  });
}

void MappedValues::set_up(StepOptimizer& optimizer, const ProblemInfo& problem) const {
  try {
    optimizer.set_up(problem);
  } catch (const Error& e) {
    throw Error(translate(e.what()));
  }
}

SpectrumSettings MappedValues::spectrum_settings() const {
  return with_options<SpectrumSettings>([](Options& options) { return SpectrumSettings::from_options(options); });
}

std::vector<ScaleGroup> parse_groups(const std::string& text, const std::string& option) {
  auto fail = [&](const std::string& problem) -> Error {
    return Error("option " + option + ": " + problem + " (expected smax:smin:size,... largest scale first)");
  };
  std::vector<ScaleGroup> groups;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    std::stringstream fields(item);
    std::string top, bottom, size;
    if (std::count(item.begin(), item.end(), ':') != 2 || !std::getline(fields, top, ':') ||
        !std::getline(fields, bottom, ':') || !std::getline(fields, size))
      throw fail("'" + item + "' is not smax:smin:size");
    char* end = nullptr;
    ScaleGroup g;
    g.sigma_max = std::strtod(top.c_str(), &end);
    bool ok = !top.empty() && *end == '\0';
    g.sigma_min = std::strtod(bottom.c_str(), &end);
    ok = ok && !bottom.empty() && *end == '\0';
    long long d = std::strtoll(size.c_str(), &end, 10);
    ok = ok && !size.empty() && *end == '\0';
    if (!ok) throw fail("'" + item + "' is not smax:smin:size");
    if (!(std::isfinite(g.sigma_max) && g.sigma_min > 0 && g.sigma_max >= g.sigma_min))
      throw fail("'" + item + "' needs smax >= smin > 0");
    if (d < 1 || d > PETSC_MAX_INT) throw fail("'" + item + "' needs a positive size");
    g.size = static_cast<PetscInt>(d);
    if (!groups.empty() && !(g.sigma_max < groups.back().sigma_min))
      throw fail("group '" + item + "' overlaps or lies above the one before");
    groups.push_back(g);
  }
  if (groups.empty()) throw fail("no groups");
  return groups;
}

}  // namespace msopt::tao
