// How a vector spreads over the eigenvectors of a small symmetric matrix:
// its spectral measure, which decides how fast a polynomial in the matrix
// shrinks it (the residual of a least-squares run from its start).
#pragma once
#include <vector>

namespace msopt {

// The squared components of v along the eigenvectors of the symmetric d x d
// matrix A (replicated, both triangles), one per eigenvalue in descending
// order (LAPACK dsyev). Local: call it with the same A and v on every rank.
std::vector<double> spectral_weights(std::vector<double> A, const std::vector<double>& v);

}  // namespace msopt
