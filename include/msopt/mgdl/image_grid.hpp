// A height x width grayscale image as a vector of its pixels, row-major
// (pixel p = r * width + c), split over the ranks by split_rows exactly as
// the rows of a Dataset of those pixels. The imaging operators of the MGDL
// paper (Appendix C: blur A, differences B) are MPIAIJ matrices over it.
#pragma once
#include <functional>
#include <utility>
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/data/dataset.hpp"

namespace msopt {

struct ImageGrid {
  PetscInt height = 0, width = 0;
  PetscInt pixels() const { return height * width; }
};

// The grid of a pixel Dataset (its image_shape attribute, as written by
// import_image_regression), checked against n_global and the row split.
ImageGrid image_grid_of(const Dataset& data);

// Nonzeros of one operator row: (global column, value); repeated columns add up.
using PixelRow = std::vector<std::pair<PetscInt, double>>;

// Collective: an MPIAIJ rows x cols matrix, rows split by split_rows(rows),
// columns by split_rows(cols); fill(i, row) gives global row i (row comes empty).
MatHandle create_pixel_operator(MPI_Comm comm, PetscInt rows, PetscInt cols,
                                const std::function<void(PetscInt, PixelRow&)>& fill);

// Collective: a Vec of n entries split by split_rows(n), zeroed.
VecHandle create_pixel_vec(MPI_Comm comm, PetscInt n);

// Collective: the Dataset's targets y as a pixel Vec (same row split).
VecHandle pixel_vec_from_targets(const Dataset& data);

}  // namespace msopt
