#include "msopt/mgdl/image_grid.hpp"

#include <algorithm>
#include <cmath>

#include "msopt/core/error.hpp"

namespace msopt {

ImageGrid image_grid_of(const Dataset& data) {
  auto it = std::find_if(data.attributes.begin(), data.attributes.end(),
                         [](const Attribute& a) { return a.name == "image_shape"; });
  require(it != data.attributes.end() && it->numbers.size() == 2,
          "the dataset has no image_shape attribute (height, width): not an image of pixels");
  ImageGrid grid;
  grid.height = static_cast<PetscInt>(std::lround(it->numbers[0]));
  grid.width = static_cast<PetscInt>(std::lround(it->numbers[1]));
  require(grid.height >= 1 && grid.width >= 1 && grid.pixels() == data.n_global,
          "the dataset's image_shape " + std::to_string(grid.height) + "x" + std::to_string(grid.width) +
              " does not match its " + std::to_string(data.n_global) + " samples");
  const RowBlock expected = split_rows(data.n_global, data.comm);
  check_all(data.comm, expected.begin == data.rows.begin && expected.count == data.rows.count,
            "the dataset's rows are not split over the ranks as its pixels");
  return grid;
}

MatHandle create_pixel_operator(MPI_Comm comm, PetscInt rows, PetscInt cols,
                                const std::function<void(PetscInt, PixelRow&)>& fill) {
  const RowBlock mine = split_rows(rows, comm), my_cols = split_rows(cols, comm);
  // Local CSR with global, sorted, merged column indices.
  std::vector<PetscInt> start{0}, column;
  std::vector<double> value;
  PixelRow row;
  for (PetscInt i = mine.begin; i < mine.begin + mine.count; ++i) {
    row.clear();
    fill(i, row);
    std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [j, v] : row) {
      if (static_cast<PetscInt>(column.size()) > start.back() && column.back() == j) {
        value.back() += v;
      } else {
        column.push_back(j);
        value.push_back(v);
      }
    }
    start.push_back(static_cast<PetscInt>(column.size()));
  }
  MatHandle M;
  MSOPT_PETSC(MatCreate(comm, M.out()));
  MSOPT_PETSC(MatSetSizes(M, mine.count, my_cols.count, rows, cols));
  MSOPT_PETSC(MatSetType(M, MATMPIAIJ));
  MSOPT_PETSC(MatMPIAIJSetPreallocationCSR(M, start.data(), column.data(), value.data()));
  return M;
}

VecHandle create_pixel_vec(MPI_Comm comm, PetscInt n) {
  VecHandle v;
  MSOPT_PETSC(VecCreateMPI(comm, split_rows(n, comm).count, n, v.out()));
  MSOPT_PETSC(VecSet(v, 0.0));
  return v;
}

VecHandle pixel_vec_from_targets(const Dataset& data) {
  const RowBlock expected = split_rows(data.n_global, data.comm);
  check_all(data.comm, expected.begin == data.rows.begin && expected.count == data.rows.count,
            "the dataset's rows are not split over the ranks as its pixels");
  VecHandle v = create_pixel_vec(data.comm, data.n_global);
  PetscScalar* x = nullptr;
  MSOPT_PETSC(VecGetArray(v, &x));
  std::copy(data.y.begin(), data.y.begin() + data.rows.count, x);
  MSOPT_PETSC(VecRestoreArray(v, &x));
  return v;
}

}  // namespace msopt
