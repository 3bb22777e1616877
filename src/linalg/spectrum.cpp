#include "msopt/linalg/spectrum.hpp"

#include <algorithm>
#include <functional>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/watchdog.hpp"

namespace msopt {

SpectrumSettings SpectrumSettings::from_options(Options& o) {
  SpectrumSettings s;
  s.method = o.choice("-spec_method", s.method, {"auto", "all", "extremes", "largest"},
                      "all eigenvalues, the nev largest and smallest, the nev largest, or auto (all up to d = 2000)");
  s.nev = o.positive_integer("-spec_nev", s.nev, "eigenvalues at each end with -spec_method extremes");
  s.gap_ratio = o.real("-spec_gap_ratio", s.gap_ratio, "a scale group ends where lambda_k/lambda_k+1 >= this");
  s.floor = o.real("-spec_floor", s.floor, "leave eigenvalues <= floor * largest out of the scale groups");
  s.max_kappa = o.real("-spec_max_kappa", s.max_kappa, "cut groups into bands spanning at most this ratio (0: off)");
  if (!o.help_requested()) {
    require(s.gap_ratio > 1, "option -spec_gap_ratio: must be larger than 1");
    require(s.floor >= 0 && s.floor < 1, "option -spec_floor: must be in [0, 1)");
    require(s.max_kappa == 0 || s.max_kappa > 1, "option -spec_max_kappa: must be 0 (off) or larger than 1");
  }
  return s;
}

namespace {

// Progress for the watchdog on explicit operators too (a shell beats in each product).
PetscErrorCode beat_each_restart(EPS, PetscInt, PetscInt, PetscScalar*, PetscScalar*, PetscReal*, PetscInt, void*) {
  watchdog::beat("eigensolve");
  return 0;
}

std::vector<double> solve(Mat A, const char* type, EPSWhich which, PetscInt nev, double tol = 1e-12) {
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(A));
  EPSHandle eps;
  MSOPT_PETSC(EPSCreate(comm, eps.out()));
  MSOPT_PETSC(EPSSetOperators(eps, A, nullptr));
  MSOPT_PETSC(EPSSetProblemType(eps, EPS_HEP));
  MSOPT_PETSC(EPSSetType(eps, type));
  MSOPT_PETSC(EPSSetWhichEigenpairs(eps, which));
  MSOPT_PETSC(EPSSetDimensions(eps, nev, PETSC_DEFAULT, PETSC_DEFAULT));
  MSOPT_PETSC(EPSSetTolerances(eps, tol, 10000));
  MSOPT_PETSC(EPSSetOptionsPrefix(eps, "spec_"));
  MSOPT_PETSC(EPSSetFromOptions(eps));
  MSOPT_PETSC(EPSMonitorSet(eps, beat_each_restart, nullptr, nullptr));
  {
    ScopedEvent event(log_registry().spectrum_solve);
    MSOPT_PETSC(EPSSolve(eps));
  }
  PetscInt converged = 0;
  MSOPT_PETSC(EPSGetConverged(eps, &converged));
  if (converged < nev) {
    // The subspace is what helps: the smallest eigenvalues of a covariance of kappa 2.4e8 (5 of 119) did not
    // converge in 2000 restarts of the default 20 vectors, and did in 0.02 s with 40.
    PetscInt size = 0, ncv = 0, max_it = 0;
    MSOPT_PETSC(MatGetSize(A, &size, nullptr));
    MSOPT_PETSC(EPSGetDimensions(eps, nullptr, &ncv, nullptr));
    MSOPT_PETSC(EPSGetTolerances(eps, nullptr, &max_it));
    throw Error("SLEPc found only " + std::to_string(converged) + " of " + std::to_string(nev) + " eigenvalues in " +
                       std::to_string(max_it) + " restarts of a subspace of " + std::to_string(ncv) +
                       " vectors (raise it: -spec_eps_ncv " + std::to_string(std::min(size, 2 * ncv)) + ")");
  }
  std::vector<double> values(nev);
  for (PetscInt k = 0; k < nev; ++k) MSOPT_PETSC(EPSGetEigenvalue(eps, k, &values[k], nullptr));
  return values;
}

}  // namespace

std::vector<double> all_eigenvalues(Mat A) {
  PetscInt d = 0;
  MSOPT_PETSC(MatGetSize(A, &d, nullptr));
  return solve(A, EPSLAPACK, EPS_LARGEST_REAL, d);
}

std::vector<double> extreme_eigenvalues(Mat A, bool largest, PetscInt nev, double tol) {
  return solve(A, EPSKRYLOVSCHUR, largest ? EPS_LARGEST_REAL : EPS_SMALLEST_REAL, nev, tol);
}

std::vector<double> compute_eigenvalues(Mat A, const SpectrumSettings& settings, bool* complete) {
  PetscInt d = 0;
  MSOPT_PETSC(MatGetSize(A, &d, nullptr));
  std::vector<double> eigenvalues;
  const bool all = settings.method == "all" || (settings.method == "auto" && d <= 2000);
  if (complete) *complete = all || 2 * settings.nev >= d;
  if (all || 2 * settings.nev >= d) {
    eigenvalues = solve(A, EPSLAPACK, EPS_LARGEST_REAL, d);
  } else if (settings.method == "largest") {
    eigenvalues = solve(A, EPSKRYLOVSCHUR, EPS_LARGEST_REAL, settings.nev);
  } else {
    eigenvalues = solve(A, EPSKRYLOVSCHUR, EPS_LARGEST_REAL, settings.nev);
    auto smallest = solve(A, EPSKRYLOVSCHUR, EPS_SMALLEST_REAL, settings.nev);
    eigenvalues.insert(eigenvalues.end(), smallest.begin(), smallest.end());
  }
  std::sort(eigenvalues.begin(), eigenvalues.end(), std::greater<>());
  return eigenvalues;
}

Spectrum compute_spectrum(Mat A, const SpectrumSettings& settings) {
  Spectrum s;
  s.gap_ratio = settings.gap_ratio;
  s.eigenvalues = compute_eigenvalues(A, settings, &s.complete);
  s.groups = group_eigenvalues(s.eigenvalues, settings);
  if (!s.complete && settings.method != "largest") {
    // The nev largest and nev smallest: a gap between them is unknown, not seen. Cut there, the lower
    // groups' rates amplified the eigenvalues in between (four groups known at their ends: MrGD diverged).
    PetscInt d = 0;
    MSOPT_PETSC(MatGetSize(A, &d, nullptr));
    const size_t top = static_cast<size_t>(settings.nev);
    s.groups = join_across_unknown(s.groups, s.eigenvalues[top - 1], s.eigenvalues[top], d - 2 * settings.nev);
  }
  return s;
}

std::vector<ScaleGroup> group_eigenvalues(std::vector<double> eigenvalues, const SpectrumSettings& settings) {
  std::sort(eigenvalues.begin(), eigenvalues.end(), std::greater<>());
  std::vector<double> grouped;
  for (double e : eigenvalues)
    if (settings.floor == 0 || e > settings.floor * eigenvalues.front()) grouped.push_back(e);
  return detect_scale_groups(grouped.empty() ? eigenvalues : grouped, settings.gap_ratio, settings.max_kappa);
}

void write_spectrum(const std::string& path, MPI_Comm comm, const Spectrum& s, const std::string& source) {
  H5File file = H5File::create_atomic(path, comm);
  std::vector<double> top, bottom, size;
  for (const auto& g : s.groups) {
    top.push_back(g.sigma_max);
    bottom.push_back(g.sigma_min);
    size.push_back(static_cast<double>(g.size));
  }
  file.write_array("eigenvalues", s.eigenvalues);
  file.write_array("group_sigma_max", top);
  file.write_array("group_sigma_min", bottom);
  file.write_array("group_size", size);
  if (!s.trace.empty()) file.write_array("trace", s.trace);
  if (!s.density_nodes.empty()) {
    file.write_array("density_nodes", s.density_nodes);
    file.write_array("density_weights", s.density_weights);
  }
  file.write_attribute("complete", std::vector<double>{s.complete ? 1.0 : 0.0});
  file.write_attribute("gap_ratio", std::vector<double>{s.gap_ratio});
  file.write_attribute("source", source);
  if (!s.fingerprint.empty()) file.write_attribute("data_fingerprint", s.fingerprint);
  file.commit();
}

Spectrum read_spectrum(const std::string& path, MPI_Comm comm) {
  H5File file = H5File::open(path, comm);
  for (const char* name : {"eigenvalues", "group_sigma_max", "group_sigma_min", "group_size"})
    require(file.has(name), "'" + path + "' is not an msopt spectrum file (no /" + name + ")");
  Spectrum s;
  s.eigenvalues = file.read_array("eigenvalues");
  auto top = file.read_array("group_sigma_max"), bottom = file.read_array("group_sigma_min"),
       size = file.read_array("group_size");
  require(!top.empty() && top.size() == bottom.size() && top.size() == size.size(),
          "'" + path + "': inconsistent scale groups");
  for (size_t i = 0; i < top.size(); ++i) {
    require(top[i] >= bottom[i] && bottom[i] > 0, "'" + path + "': invalid scale group " + std::to_string(i + 1));
    s.groups.push_back({top[i], bottom[i], static_cast<PetscInt>(size[i])});
  }
  if (file.has_attribute("complete")) s.complete = file.read_number_attribute("complete").at(0) != 0;
  if (file.has_attribute("gap_ratio")) s.gap_ratio = file.read_number_attribute("gap_ratio").at(0);
  if (file.has_attribute("data_fingerprint")) s.fingerprint = file.read_number_attribute("data_fingerprint");
  return s;
}

}  // namespace msopt
