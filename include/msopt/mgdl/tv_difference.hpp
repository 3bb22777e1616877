// The first-order difference operator B of the total variation in the MGDL
// paper's reconstruction losses (Appendix C, eqs. (18)-(24)): for a
// height x width image g (pixel vector of n entries), B g stacks
//   horizontal  (D_h g)[r][c] = g[r][c+1] - g[r][c]   (0 in the last column),
//   vertical    (D_v g)[r][c] = g[r+1][c] - g[r][c]   (0 in the last row),
// B = [D_h; D_v], 2n x n: the last row and column are repeated (replicate
// padding), so their differences vanish. ||B g||_1 is the anisotropic TV.
#pragma once
#include "msopt/core/handles.hpp"
#include "msopt/mgdl/image_grid.hpp"

namespace msopt {

// Collective: MPIAIJ 2n x n; columns split as the pixels, rows by split_rows(2n).
MatHandle create_difference_operator(MPI_Comm comm, const ImageGrid& grid);

}  // namespace msopt
