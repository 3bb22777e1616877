#include "msopt/mgdl/psnr.hpp"

#include <cmath>
#include <limits>

#include "msopt/core/error.hpp"

namespace msopt {

namespace {

double squared_error(const double* a, const double* b, PetscInt n) {
  double sum = 0;
  for (PetscInt i = 0; i < n; ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return sum;
}

// Eq. (34) from this rank's squared error and pixel count.
double finish(MPI_Comm comm, double local_error, PetscInt local_count) {
  double local[2] = {local_error, static_cast<double>(local_count)}, total[2];
  MSOPT_MPI(MPI_Allreduce(local, total, 2, MPI_DOUBLE, MPI_SUM, comm));
  require(total[1] > 0, "PSNR of an empty image");
  if (total[0] == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(total[1] / total[0]);
}

}  // namespace

double psnr(MPI_Comm comm, const double* truth, const double* estimate, PetscInt local_count) {
  return finish(comm, squared_error(truth, estimate, local_count), local_count);
}

double psnr(Vec truth, Vec estimate) {
  PetscInt n = 0, m = 0;
  MSOPT_PETSC(VecGetLocalSize(truth, &n));
  MSOPT_PETSC(VecGetLocalSize(estimate, &m));
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(truth));
  check_all(comm, n == m, "PSNR of two images with different layouts");
  const PetscScalar *a = nullptr, *b = nullptr;
  MSOPT_PETSC(VecGetArrayRead(truth, &a));
  MSOPT_PETSC(VecGetArrayRead(estimate, &b));
  const double error = squared_error(a, b, n);
  MSOPT_PETSC(VecRestoreArrayRead(truth, &a));
  MSOPT_PETSC(VecRestoreArrayRead(estimate, &b));
  return finish(comm, error, n);
}

}  // namespace msopt
