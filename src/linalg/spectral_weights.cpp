#include "msopt/linalg/spectral_weights.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>

#include <string>

#include "msopt/core/error.hpp"

namespace msopt {

std::vector<double> spectral_weights(std::vector<double> A, const std::vector<double>& v) {
  const size_t d = v.size();
  require(d > 0 && A.size() == d * d, "spectral weights: the matrix is not " + std::to_string(d) + " x " +
                                          std::to_string(d));
  const PetscBLASInt n = static_cast<PetscBLASInt>(d);
  PetscBLASInt info = 0, lwork = -1;
  std::vector<double> ascending(d);
  double size_query = 0;
  LAPACKsyev_("V", "U", &n, A.data(), &n, ascending.data(), &size_query, &lwork, &info);
  lwork = static_cast<PetscBLASInt>(size_query);
  std::vector<double> work(static_cast<size_t>(lwork));
  LAPACKsyev_("V", "U", &n, A.data(), &n, ascending.data(), work.data(), &lwork, &info);
  require(info == 0, "spectral weights: LAPACK dsyev failed (info " + std::to_string(info) + ")");
  // Column k of A now holds the eigenvector of the k-th smallest eigenvalue: components = A^T v.
  std::vector<double> components(d);
  const double one = 1, zero = 0;
  const PetscBLASInt step = 1;
  BLASgemv_("T", &n, &n, &one, A.data(), &n, v.data(), &step, &zero, components.data(), &step);
  std::vector<double> weights(d);
  for (size_t k = 0; k < d; ++k) weights[d - 1 - k] = components[k] * components[k];
  return weights;
}

}  // namespace msopt
