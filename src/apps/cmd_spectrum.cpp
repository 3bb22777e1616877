#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/optim/multirate_schedule.hpp"

namespace msopt::apps {

int run_spectrum(MPI_Comm comm) {
  Options o(comm, "spectrum", "SLEPc eigenvalues of the covariance X^T X / N, scale groups and MrGD rates");
  LeastSquaresProblem problem;
  problem.read_options(o);
  auto out = o.string("-spec_out", "", "HDF5 file for the spectrum and groups (optional)");
  if (o.finish()) return 0;

  problem.load(comm);
  double t0 = MPI_Wtime();
  MatHandle A = problem.covariance();
  Spectrum spectrum;
  {
    ScopedStage stage(log_registry().spectrum);
    spectrum = compute_spectrum(A, problem.spectrum_settings);
  }
  PetscPrintf(comm, "spectrum: %zu eigenvalues of the %s covariance (d = %d) in %.2f s, from %.6e down to %.6e%s\n",
              spectrum.eigenvalues.size(), problem.operator_kind.c_str(), static_cast<int>(problem.data.dim),
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
  if (!out.empty()) {
    write_spectrum(out, comm, spectrum, problem.data_path);
    PetscPrintf(comm, "spectrum: wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace msopt::apps
