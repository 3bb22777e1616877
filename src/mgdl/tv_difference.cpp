#include "msopt/mgdl/tv_difference.hpp"

#include "msopt/core/error.hpp"

namespace msopt {

MatHandle create_difference_operator(MPI_Comm comm, const ImageGrid& grid) {
  require(grid.height >= 1 && grid.width >= 1, "the difference operator needs a non-empty image");
  const PetscInt n = grid.pixels(), H = grid.height, W = grid.width;
  return create_pixel_operator(comm, 2 * n, n, [&](PetscInt i, PixelRow& row) {
    const bool vertical = i >= n;
    const PetscInt p = vertical ? i - n : i, r = p / W, c = p % W;
    if (vertical ? r + 1 == H : c + 1 == W) return;  // repeated last row / column: zero difference
    row.emplace_back(p, -1.0);
    row.emplace_back(vertical ? p + W : p + 1, 1.0);
  });
}

}  // namespace msopt
