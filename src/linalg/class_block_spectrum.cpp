#include "msopt/linalg/class_block_spectrum.hpp"

#include <algorithm>
#include <functional>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/linalg/spectrum.hpp"

namespace msopt {

std::vector<double> class_block_eigenvalues(SoftmaxRegression& model, const std::vector<double>& theta) {
  MPI_Comm comm = model.comm();
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const int classes = model.classes();
  const PetscInt n1 = model.data().dim + 1;
  std::vector<double> mine;  // eigenvalues of the blocks c = rank, rank + size, ...
  for (int c = 0; c < classes; ++c) {
    std::vector<double> block = model.class_block_hessian(theta.data(), c);
    if (c % size != rank) continue;
    MatHandle A;
    MSOPT_PETSC(MatCreateSeqDense(PETSC_COMM_SELF, n1, n1, block.data(), A.out()));
    std::vector<double> values = all_eigenvalues(A);
    mine.insert(mine.end(), values.begin(), values.end());
  }
  std::vector<int> counts(size), offsets(size);
  const int count = static_cast<int>(mine.size());
  MSOPT_MPI(MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm));
  for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(static_cast<size_t>(offsets.back() + counts.back()));
  MSOPT_MPI(MPI_Allgatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, comm));
  std::sort(all.begin(), all.end(), std::greater<>());
  return all;
}

}  // namespace msopt
