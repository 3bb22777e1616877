#include "msopt/data/pca.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"

namespace msopt {

PrincipalAxes principal_axes(const Dataset& data) {
  const PetscInt d = data.dim;
  const double inv_n = 1.0 / static_cast<double>(data.n_global);
  PrincipalAxes axes;
  std::vector<double> local(static_cast<size_t>(d) * (d + 1), 0.0), total(local.size());
  // local[0..d^2) = sum x x^T (upper triangle, column-major), local[d^2..) = sum x
  const PetscBLASInt n = static_cast<PetscBLASInt>(d), k = static_cast<PetscBLASInt>(data.rows.count);
  const double one = 1.0, zero = 0.0;
  if (k > 0) BLASsyrk_("U", "N", &n, &k, &one, data.X.data(), &n, &zero, local.data(), &n);
  for (PetscInt i = 0; i < data.rows.count; ++i)
    for (PetscInt j = 0; j < d; ++j) local[d * d + j] += data.row(i)[j];
  MSOPT_MPI(MPI_Allreduce(local.data(), total.data(), static_cast<int>(total.size()), MPI_DOUBLE, MPI_SUM, data.comm));
  axes.mean.assign(total.begin() + d * d, total.end());
  for (double& m : axes.mean) m *= inv_n;

  MatHandle C;  // centred covariance: sum x x^T / N - xbar xbar^T
  MSOPT_PETSC(MatCreateDense(data.comm, PETSC_DECIDE, PETSC_DECIDE, d, d, nullptr, C.out()));
  PetscInt begin = 0, end = 0;
  MSOPT_PETSC(MatGetOwnershipRange(C, &begin, &end));
  std::vector<PetscInt> cols(d);
  std::vector<double> row(d);
  for (PetscInt j = 0; j < d; ++j) cols[j] = j;
  for (PetscInt r = begin; r < end; ++r) {
    for (PetscInt c = 0; c < d; ++c)
      row[c] = total[r <= c ? c * d + r : r * d + c] * inv_n - axes.mean[r] * axes.mean[c];
    MSOPT_PETSC(MatSetValues(C, 1, &r, d, cols.data(), row.data(), INSERT_VALUES));
  }
  MSOPT_PETSC(MatAssemblyBegin(C, MAT_FINAL_ASSEMBLY));
  MSOPT_PETSC(MatAssemblyEnd(C, MAT_FINAL_ASSEMBLY));

  EPSHandle eps;
  MSOPT_PETSC(EPSCreate(data.comm, eps.out()));
  MSOPT_PETSC(EPSSetOperators(eps, C, nullptr));
  MSOPT_PETSC(EPSSetProblemType(eps, EPS_HEP));
  MSOPT_PETSC(EPSSetType(eps, EPSLAPACK));
  MSOPT_PETSC(EPSSetWhichEigenpairs(eps, EPS_LARGEST_REAL));
  MSOPT_PETSC(EPSSetDimensions(eps, d, PETSC_DEFAULT, PETSC_DEFAULT));
  MSOPT_PETSC(EPSSolve(eps));
  PetscInt converged = 0;
  MSOPT_PETSC(EPSGetConverged(eps, &converged));
  require(converged >= d, "PCA: SLEPc found only " + std::to_string(converged) + " of " + std::to_string(d) +
                              " principal directions");
  VecHandle v;
  MSOPT_PETSC(MatCreateVecs(C, v.out(), nullptr));
  VecScatter to_all = nullptr;
  Vec gathered = nullptr;
  MSOPT_PETSC(VecScatterCreateToAll(v, &to_all, &gathered));
  axes.values.resize(d);
  axes.vectors.resize(static_cast<size_t>(d) * d);
  for (PetscInt e = 0; e < d; ++e) {
    MSOPT_PETSC(EPSGetEigenpair(eps, e, &axes.values[e], nullptr, v, nullptr));
    MSOPT_PETSC(VecScatterBegin(to_all, v, gathered, INSERT_VALUES, SCATTER_FORWARD));
    MSOPT_PETSC(VecScatterEnd(to_all, v, gathered, INSERT_VALUES, SCATTER_FORWARD));
    const PetscScalar* x = nullptr;
    MSOPT_PETSC(VecGetArrayRead(gathered, &x));
    PetscInt largest = 0;
    for (PetscInt j = 1; j < d; ++j)
      if (std::fabs(x[j]) > std::fabs(x[largest])) largest = j;
    const double sign = x[largest] < 0 ? -1.0 : 1.0;
    for (PetscInt j = 0; j < d; ++j) axes.vectors[static_cast<size_t>(e) * d + j] = sign * x[j];
    MSOPT_PETSC(VecRestoreArrayRead(gathered, &x));
  }
  VecScatterDestroy(&to_all);
  VecDestroy(&gathered);
  return axes;
}

void align_to_axes(Dataset& data, const PrincipalAxes& axes) {
  const PetscInt d = data.dim;
  for (PetscInt i = 0; i < data.rows.count; ++i)
    for (PetscInt j = 0; j < d; ++j) data.X[i * d + j] -= axes.mean[j];
  HugePageVector rotated(data.X.size());
  // row-major X (rows x d) is column-major X^T (d x rows): X~^T = U^T X^T
  const PetscBLASInt n = static_cast<PetscBLASInt>(d), k = static_cast<PetscBLASInt>(data.rows.count);
  const double one = 1.0, zero = 0.0;
  if (k > 0)
    BLASgemm_("T", "N", &n, &k, &n, &one, axes.vectors.data(), &n, data.X.data(), &n, &zero, rotated.data(), &n);
  data.X.swap(rotated);
  data.attributes.push_back({"pca_principal_values", axes.values, ""});
  data.attributes.push_back({"pca_mean", axes.mean, ""});
}

}  // namespace msopt
