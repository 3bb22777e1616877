#include "msopt/data/dataset.hpp"

namespace msopt {

RowBlock split_rows(PetscInt n_global, int rank, int size) {
  PetscInt base = n_global / size, extra = n_global % size;
  RowBlock block;
  block.count = base + (rank < extra ? 1 : 0);
  block.begin = rank * base + (rank < extra ? rank : extra);
  return block;
}

RowBlock split_rows(PetscInt n_global, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  return split_rows(n_global, rank, size);
}

}  // namespace msopt
