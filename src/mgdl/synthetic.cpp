#include "msopt/mgdl/synthetic.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"

namespace msopt {

namespace {

// Streams of the counter-based generator.
enum Stream : std::uint32_t { kPoints = 0x53594e00u, kPhases = 0x53594e01u };  // "SYN"

}  // namespace

std::vector<double> SyntheticSpec::frequencies() const {
  if (!kappa.empty()) return kappa;
  if (setting == 1) return {1, 5, 10};
  return {1, 8.25, 15.5, 22.75, 30};
}

std::vector<double> SyntheticSpec::phases() const {
  const CounterRng rng(phase_seed);
  const size_t m = frequencies().size();
  std::vector<double> phi(m);
  for (size_t j = 0; j < m; ++j) phi[j] = 2.0 * M_PI * rng.uniform2(kPhases, j, 0)[0];
  return phi;
}

SyntheticSpec SyntheticSpec::from_options(Options& o) {
  SyntheticSpec s;
  s.setting = static_cast<int>(o.integer("-data_setting", s.setting, "MGDL paper Section 5: 1 (kappa 1,5,10) or 2 (kappa 1,8.25,15.5,22.75,30)"));
  s.kappa = o.real_list("-data_kappa", "frequencies kappa_j of eq. (5) (default: the setting's)");
  s.n = o.positive_integer("-data_n", s.n, "number of samples N (paper: 1024 training, 1000 validation)");
  s.sampling = o.choice("-data_sampling", s.sampling, {"grid", "uniform"},
                        "x equally spaced on [0, 1] (training) or uniform on [0, 1] (validation)");
  s.seed = static_cast<std::uint64_t>(o.nonnegative_integer("-data_seed", 1, "seed of the uniform points"));
  s.phase_seed = static_cast<std::uint64_t>(
      o.nonnegative_integer("-data_phase_seed", 1, "seed of the phases phi_j (keep it for training and validation)"));
  if (o.help_requested()) return s;
  require(s.setting == 1 || s.setting == 2, "option -data_setting: must be 1 or 2, got " + std::to_string(s.setting));
  for (double k : s.kappa) require(std::isfinite(k) && k > 0, "option -data_kappa: every frequency must be positive");
  require(s.sampling == "uniform" || s.n >= 2, "option -data_n: a grid needs at least 2 points");
  return s;
}

double synthetic_target(double x, const std::vector<double>& kappa, const std::vector<double>& phases) {
  double g = 0;
  for (size_t j = 0; j < kappa.size(); ++j) g += std::sin(2.0 * M_PI * kappa[j] * x + phases[j]);  // eq. (5)
  return g;
}

Dataset generate_synthetic(const SyntheticSpec& spec, MPI_Comm comm) {
  const std::vector<double> kappa = spec.frequencies(), phi = spec.phases();
  const CounterRng rng(spec.seed);
  Dataset data;
  data.comm = comm;
  data.n_global = spec.n;
  data.dim = 1;
  data.rows = split_rows(spec.n, comm);
  data.X.resize(data.rows.count);
  data.y.resize(data.rows.count);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const PetscInt global = data.rows.begin + i;
    const double x = spec.sampling == "grid" ? static_cast<double>(global) / static_cast<double>(spec.n - 1)
                                             : rng.uniform2(kPoints, static_cast<std::uint64_t>(global), 0)[0];
    data.X[i] = x;
    data.y[i] = synthetic_target(x, kappa, phi);
  }
  data.attributes = {{"generator", {}, "mgdl-synthetic"},
                     {"setting", {static_cast<double>(spec.setting)}, ""},
                     {"kappa", kappa, ""},
                     {"phases", phi, ""},
                     {"sampling", {}, spec.sampling},
                     {"seed", {static_cast<double>(spec.seed)}, ""},
                     {"phase_seed", {static_cast<double>(spec.phase_seed)}, ""}};
  return data;
}

}  // namespace msopt
