#include "msopt/landscape/sharpness.hpp"

#include "msopt/core/handles.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"

namespace msopt {

double sharpness(Objective& objective, const std::vector<double>& w, double tol) {
  MatHandle H = create_hessian_shell(objective, w);
  return extreme_eigenvalues(H, true, 1, tol).front();
}

}  // namespace msopt
