// A dataset of N samples in R^d, split by contiguous row blocks over the ranks.
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <string>
#include <vector>

#include "msopt/core/huge_page_allocator.hpp"

namespace msopt {

struct RowBlock {
  PetscInt begin = 0;
  PetscInt count = 0;
};

// The rows owned by `rank`: the first N % size ranks get one extra row.
RowBlock split_rows(PetscInt n_global, int rank, int size);
RowBlock split_rows(PetscInt n_global, MPI_Comm comm);

// A named attribute stored beside the arrays (numbers or text).
struct Attribute {
  std::string name;
  std::vector<double> numbers;
  std::string text;
};

struct Dataset {
  MPI_Comm comm = MPI_COMM_NULL;
  PetscInt n_global = 0;
  PetscInt dim = 0;
  RowBlock rows;
  HugePageVector X;       // rows.count x dim, row-major (huge pages: read once per gradient)
  std::vector<double> y;  // rows.count targets
  std::vector<Attribute> attributes;

  const double* row(PetscInt local) const { return X.data() + static_cast<size_t>(local) * dim; }
};

// Collective: CRC-32 of every row (x_i, y_i) in global row order, the same
// on any number of ranks: what spectra and checkpoints call "their data".
double dataset_checksum(const Dataset& data);

}  // namespace msopt
