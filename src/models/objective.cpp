#include "msopt/models/objective.hpp"

#include <algorithm>

#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/watchdog.hpp"

namespace msopt {

double Objective::value_and_gradient(const double* w, double* gradient) {
  const PetscInt d = dim();
  partial_.resize(d + 1);
  total_.resize(d + 1);
  const LogRegistry& log = log_registry();
  watchdog::beat("gradient");
  {
    ScopedEvent compute(log.gradient_compute);
    local_value_and_gradient(w, partial_.data());
  }
  {
    ScopedEvent reduce(log.gradient_reduce);
    MSOPT_MPI(MPI_Allreduce(partial_.data(), total_.data(), d + 1, MPI_DOUBLE, MPI_SUM, comm()));
  }
  std::copy(total_.begin(), total_.begin() + d, gradient);
  return total_[d];
}

void Objective::hessian_vector(const double* w, const double* v, double* hv) {
  partial_.resize(dim());
  const LogRegistry& log = log_registry();
  {
    ScopedEvent compute(log.gradient_compute);
    local_hessian_vector(w, v, partial_.data());
  }
  ScopedEvent reduce(log.gradient_reduce);
  MSOPT_MPI(MPI_Allreduce(partial_.data(), hv, dim(), MPI_DOUBLE, MPI_SUM, comm()));
}

}  // namespace msopt
