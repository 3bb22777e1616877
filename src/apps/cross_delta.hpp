// msopt spectrum -spec_cross_delta FILE: the cross-spectrum delta of Theorem
// 3.11 (MrGD paper) at a point, beside the one-cycle bound it enters.
#pragma once
#include <string>
#include <vector>

#include "commands.hpp"

namespace msopt::apps {

// Collective: Pi from the Hessian at the parameters in `reference_file`
// (e.g. the minimiser), delta and the blocks at `point`, and Theorem 3.11's
// rho + delta m B for MrGD's schedule on those blocks in Algorithm 1's order.
void report_cross_delta(MPI_Comm comm, Problem& problem, const std::vector<double>& point,
                        const std::string& reference_file);

}  // namespace msopt::apps
