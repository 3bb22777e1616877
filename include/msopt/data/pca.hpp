// PCA alignment (MrGD paper, Assumption 2.1, eq. 1): x~ = U^T (x - xbar),
// with xbar and the covariance summed over all ranks and U from SLEPc.
#pragma once
#include <vector>

#include "msopt/data/dataset.hpp"

namespace msopt {

struct PrincipalAxes {
  std::vector<double> mean;     // xbar, length d
  std::vector<double> values;   // eigenvalues of (1/N) sum (x - xbar)(x - xbar)^T, descending
  std::vector<double> vectors;  // d x d column-major: column k is the k-th principal direction
};

// Collective. Each direction's sign makes its largest-magnitude entry positive.
PrincipalAxes principal_axes(const Dataset& data);

// x <- U^T (x - xbar) for every local row (BLAS); records the principal
// values and the mean as attributes.
void align_to_axes(Dataset& data, const PrincipalAxes& axes);

}  // namespace msopt
