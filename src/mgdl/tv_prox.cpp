#include "msopt/mgdl/tv_prox.hpp"

#include <cmath>
#include <sstream>

#include "msopt/core/error.hpp"

namespace msopt {

void TvParameters::check() const {
  auto fail = [](const char* what, double value) {
    std::ostringstream text;
    text << "TV reconstruction: " << what << ", got " << value;
    throw Error(text.str());
  };
  if (!(std::isfinite(lambda) && lambda >= 0)) fail("lambda must be finite and >= 0", lambda);
  if (!(std::isfinite(beta) && beta > 0)) fail("beta must be finite and > 0", beta);
  if (!(alpha > 0 && alpha <= 1)) fail("alpha must lie in (0, 1]", alpha);
}

void soft_threshold(Vec x, double t) {
  require(std::isfinite(t) && t >= 0, "soft thresholding needs a finite threshold >= 0");
  PetscInt n = 0;
  MSOPT_PETSC(VecGetLocalSize(x, &n));
  PetscScalar* v = nullptr;
  MSOPT_PETSC(VecGetArray(x, &v));
  for (PetscInt i = 0; i < n; ++i) {
    const double shrunk = std::fabs(v[i]) - t;
    v[i] = shrunk > 0 ? std::copysign(shrunk, v[i]) : 0.0;
  }
  MSOPT_PETSC(VecRestoreArray(x, &v));
}

void tv_prox_step(Vec u, Vec Bg, const TvParameters& p) {
  p.check();
  MSOPT_PETSC(VecAXPBY(u, p.alpha, 1.0 - p.alpha, Bg));  // u = alpha B g + (1 - alpha) u
  soft_threshold(u, p.alpha * p.lambda / p.beta);
}

}  // namespace msopt
