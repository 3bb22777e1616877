#include "msopt/core/replicated_vec.hpp"

#include "msopt/core/error.hpp"

namespace msopt {

void set_from_replicated(Vec x, const std::vector<double>& values) {
  PetscInt begin = 0, end = 0;
  MSOPT_PETSC(VecGetOwnershipRange(x, &begin, &end));
  PetscScalar* local = nullptr;
  MSOPT_PETSC(VecGetArray(x, &local));
  for (PetscInt k = begin; k < end; ++k) local[k - begin] = values[k];
  MSOPT_PETSC(VecRestoreArray(x, &local));
}

std::vector<double> gather_replicated(Vec x) {
  VecScatter to_all = nullptr;
  Vec gathered = nullptr;
  MSOPT_PETSC(VecScatterCreateToAll(x, &to_all, &gathered));
  MSOPT_PETSC(VecScatterBegin(to_all, x, gathered, INSERT_VALUES, SCATTER_FORWARD));
  MSOPT_PETSC(VecScatterEnd(to_all, x, gathered, INSERT_VALUES, SCATTER_FORWARD));
  PetscInt n = 0;
  MSOPT_PETSC(VecGetSize(gathered, &n));
  const PetscScalar* values = nullptr;
  MSOPT_PETSC(VecGetArrayRead(gathered, &values));
  std::vector<double> out(values, values + n);
  MSOPT_PETSC(VecRestoreArrayRead(gathered, &values));
  VecScatterDestroy(&to_all);
  VecDestroy(&gathered);
  return out;
}

}  // namespace msopt
