// Moving between msopt's replicated parameter vectors (the whole vector on
// every rank) and PETSc's distributed Vecs.
#pragma once
#include <petscvec.h>

#include <vector>

namespace msopt {

// x's local part <- the matching entries of `values` (length = global size).
void set_from_replicated(Vec x, const std::vector<double>& values);

// Collective: every entry of x on every rank.
std::vector<double> gather_replicated(Vec x);

}  // namespace msopt
