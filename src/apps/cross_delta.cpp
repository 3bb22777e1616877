#include "cross_delta.hpp"

#include "msopt/core/error.hpp"
#include "msopt/linalg/cross_spectrum.hpp"
#include "msopt/linalg/theorem311_bound.hpp"
#include "msopt/optim/multirate_schedule.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt::apps {

void report_cross_delta(MPI_Comm comm, Problem& problem, const std::vector<double>& point,
                        const std::string& reference_file) {
  Objective& objective = *problem.objective;
  const PetscInt n = objective.dim();
  require(n <= 4000, "option -spec_cross_delta: the model has " + std::to_string(n) +
                         " parameters; the dense cross-spectrum takes at most 4000");
  const auto reference = read_parameters(reference_file, comm, n);
  const CrossSpectrum cs = cross_spectrum(dense_hessian(objective, point), dense_hessian(objective, reference), n,
                                          problem.spectrum_settings);
  const size_t m = cs.blocks.size();
  PetscPrintf(comm, "cross-spectrum: Pi from the Hessian at %s, %zu groups; blocks Pi_i H Pi_i^T at the point "
              "(eq. 30):\n%s", reference_file.c_str(), m, format_group_table(cs.blocks).c_str());
  for (size_t i = 0; i < m; ++i) {
    PetscPrintf(comm, "  ||Pi_%zu H Pi_j^T||:", i + 1);
    for (size_t j = 0; j < m; ++j) PetscPrintf(comm, " %.3e", cs.coupling[i * m + j]);
    PetscPrintf(comm, "\n");
  }
  if (cs.floor_size > 0)
    PetscPrintf(comm, "cross-spectrum: %d eigenvectors under -spec_floor left out of Pi; ||H on them|| = %.3e\n",
                static_cast<int>(cs.floor_size), cs.floor_coupling);
  PetscPrintf(comm, "cross-spectrum: delta = %.6e (eq. 31), %.3e of sigma_1\n", cs.delta,
              cs.delta / cs.blocks.front().sigma_max);
  if (m < 2) return;
  try {
    double eta = 0;
    const auto schedule = select_schedule(cs.blocks, &eta, StepOrder::paper, ProblemInfo{}.rtol);
    const auto bound = theorem311_bound(cs.blocks, schedule.rates, schedule.counts);
    PetscPrintf(comm, "cross-spectrum: Theorem 3.11 for MrGD (eta = %.2f, counts", eta);
    for (PetscInt c : schedule.counts) PetscPrintf(comm, " %d", static_cast<int>(c));
    PetscPrintf(comm, "): rho = %.6e, B = %.6e; rho + delta m B = %.6e (%s)\n", bound.rho, bound.B,
                bound.factor(cs.delta), bound.factor(cs.delta) < 1 ? "< 1: the bound contracts" :
                                                                       ">= 1: the bound does not contract");
  } catch (const Error& e) {
    PetscPrintf(comm, "cross-spectrum: no MrGD schedule for these blocks: %s\n", e.what());
  }
}

}  // namespace msopt::apps
