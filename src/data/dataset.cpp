#include "msopt/data/dataset.hpp"

#include <zlib.h>

#include "msopt/core/error.hpp"

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

double dataset_checksum(const Dataset& data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.row(i)), static_cast<uInt>(data.dim * sizeof(double)));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(&data.y[i]), sizeof(double));
  }
  int size = 1;
  MPI_Comm_size(data.comm, &size);
  // zlib combines the blocks' checksums in rank order (the global row order).
  double mine[2] = {static_cast<double>(crc), static_cast<double>(data.rows.count) * (data.dim + 1) * sizeof(double)};
  std::vector<double> all(2 * static_cast<size_t>(size));
  MSOPT_MPI(MPI_Allgather(mine, 2, MPI_DOUBLE, all.data(), 2, MPI_DOUBLE, data.comm));
  uLong total = crc32(0L, Z_NULL, 0);
  for (int r = 0; r < size; ++r)
    total = crc32_combine(total, static_cast<uLong>(all[2 * r]), static_cast<z_off_t>(all[2 * r + 1]));
  return static_cast<double>(total);
}

}  // namespace msopt
