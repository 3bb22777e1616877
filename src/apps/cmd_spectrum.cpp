#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/linalg/hessian_tools.hpp"
#include "msopt/optim/multirate_schedule.hpp"

namespace msopt::apps {

namespace {

// "a:b" -> the indices a, ..., b-1.
std::vector<PetscInt> parse_range(const std::string& text, PetscInt dim) {
  auto colon = text.find(':');
  require(colon != std::string::npos, "option -spec_range: expected a:b, got '" + text + "'");
  long a = std::strtol(text.substr(0, colon).c_str(), nullptr, 10), b = std::strtol(text.substr(colon + 1).c_str(), nullptr, 10);
  require(0 <= a && a < b && b <= dim, "option -spec_range: " + text + " is not within [0, " + std::to_string(dim) + "]");
  std::vector<PetscInt> indices;
  for (long k = a; k < b; ++k) indices.push_back(static_cast<PetscInt>(k));
  return indices;
}

}  // namespace

int run_spectrum(MPI_Comm comm) {
  Options o(comm, "spectrum",
            "SLEPc eigenvalues of the covariance X^T X / N or of a model's Hessian, scale groups, MrGD rates, "
            "Hessian trace and density");
  Problem problem;
  problem.read_options(o);
  auto out = o.string("-spec_out", "", "HDF5 file for the spectrum and groups (optional)");
  auto point_file = o.string("-spec_point", "", "Hessian at these parameters (checkpoint or history file)");
  auto range = o.string("-spec_range", "", "restrict the Hessian to parameters a:b (a layer, a neuron's weights)");
  PetscInt trace_probes = o.nonnegative_integer("-spec_trace_probes", 0, "Hutchinson trace with this many probes");
  PetscInt density_probes = o.nonnegative_integer("-spec_density_probes", 0, "SLQ density with this many probes");
  PetscInt density_steps = o.positive_integer("-spec_density_steps", 80, "Lanczos steps per SLQ probe");
  PetscInt seed = o.nonnegative_integer("-spec_seed", 1, "seed of the trace and density probes");
  if (o.finish()) return 0;

  problem.load(comm);
  std::vector<double> point = point_file.empty() ? problem.start
                                                 : read_parameters(point_file, comm, problem.objective->dim());
  std::vector<PetscInt> indices = range.empty() ? std::vector<PetscInt>{} : parse_range(range, problem.objective->dim());
  const bool covariance = problem.least_squares() != nullptr;
  double t0 = MPI_Wtime();
  MatHandle A = indices.empty() ? problem.hessian(point) : create_restricted_hessian_shell(*problem.objective, point, indices);
  Spectrum spectrum;
  {
    ScopedStage stage(log_registry().spectrum);
    spectrum = compute_spectrum(A, problem.spectrum_settings);
  }
  PetscInt n = 0;
  MSOPT_PETSC(MatGetSize(A, &n, nullptr));
  PetscPrintf(comm, "spectrum: %zu eigenvalues of the %s (size %d) in %.2f s, from %.6e down to %.6e%s\n",
              spectrum.eigenvalues.size(), covariance ? "covariance" : "Hessian", static_cast<int>(n),
              MPI_Wtime() - t0, spectrum.eigenvalues.front(), spectrum.eigenvalues.back(),
              spectrum.complete ? "" : " (extremes only: groups in the middle may be missed)");
  PetscPrintf(comm, "spectrum: %zu scale groups at gaps of ratio >= %g\n%s", spectrum.groups.size(),
              spectrum.gap_ratio, format_group_table(spectrum.groups).c_str());
  if (spectrum.groups.size() >= 2) {
    double eta = 0;
    auto schedule = select_schedule(spectrum.groups, &eta);
    PetscPrintf(comm, "spectrum: MrGD rates eta_i = 1/(eta sigma_i) with eta = %.2f and Theorem 3.4 counts:\n%s", eta,
                schedule.describe().c_str());
  } else {
    PetscPrintf(comm, "spectrum: one scale group only: MrGD has nothing to separate\n");
  }
  if (indices.empty())
    for (PetscInt k = 0; k < problem.objective->dim(); ++k) indices.push_back(k);
  if (trace_probes > 0) {
    auto t = hutchinson_trace(*problem.objective, point, indices, static_cast<int>(trace_probes), seed);
    PetscPrintf(comm, "spectrum: Hutchinson trace %.6e +- %.2e (%d probes)\n", t.trace, t.standard_error,
                static_cast<int>(trace_probes));
    spectrum.trace = {t.trace, t.standard_error};
  }
  if (density_probes > 0) {
    auto density = lanczos_density(*problem.objective, point, indices, static_cast<int>(density_probes),
                                   static_cast<int>(density_steps), seed);
    PetscPrintf(comm, "spectrum: SLQ density with %zu nodes (%d probes x %d Lanczos steps)\n", density.nodes.size(),
                static_cast<int>(density_probes), static_cast<int>(density_steps));
    spectrum.density_nodes = density.nodes;
    spectrum.density_weights = density.weights;
  }
  if (!out.empty()) {
    write_spectrum(out, comm, spectrum, problem.data_path);
    PetscPrintf(comm, "spectrum: wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace msopt::apps
