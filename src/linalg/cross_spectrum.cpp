#include "msopt/linalg/cross_spectrum.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>
#include <slepceps.h>

#include <algorithm>
#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/handles.hpp"

namespace msopt {

namespace {

// Every eigenpair of the dense symmetric A by SLEPc's LAPACK solver on this
// rank, eigenvalues descending; the eigenvectors are the columns of *vectors (column-major n x n).
std::vector<double> eigenpairs(const std::vector<double>& A, PetscInt n, std::vector<double>* vectors) {
  std::vector<double> copy = A;
  MatHandle M;
  MSOPT_PETSC(MatCreateSeqDense(PETSC_COMM_SELF, n, n, copy.data(), M.out()));
  EPSHandle eps;
  MSOPT_PETSC(EPSCreate(PETSC_COMM_SELF, eps.out()));
  MSOPT_PETSC(EPSSetOperators(eps, M, nullptr));
  MSOPT_PETSC(EPSSetProblemType(eps, EPS_HEP));
  MSOPT_PETSC(EPSSetType(eps, EPSLAPACK));
  MSOPT_PETSC(EPSSetWhichEigenpairs(eps, EPS_LARGEST_REAL));
  MSOPT_PETSC(EPSSetDimensions(eps, n, PETSC_DEFAULT, PETSC_DEFAULT));
  MSOPT_PETSC(EPSSolve(eps));
  PetscInt converged = 0;
  MSOPT_PETSC(EPSGetConverged(eps, &converged));
  require(converged >= n, "cross-spectrum: SLEPc found only " + std::to_string(converged) + " of " +
                              std::to_string(n) + " eigenpairs of the reference Hessian");
  VecHandle v;
  MSOPT_PETSC(MatCreateVecs(M, v.out(), nullptr));
  std::vector<double> values(n);
  if (vectors) vectors->assign(static_cast<size_t>(n) * n, 0.0);
  for (PetscInt k = 0; k < n; ++k) {
    MSOPT_PETSC(EPSGetEigenpair(eps, k, &values[k], nullptr, vectors ? v.get() : nullptr, nullptr));
    if (!vectors) continue;
    const PetscScalar* x = nullptr;
    MSOPT_PETSC(VecGetArrayRead(v, &x));
    std::copy(x, x + n, vectors->begin() + static_cast<std::ptrdiff_t>(k) * n);
    MSOPT_PETSC(VecRestoreArrayRead(v, &x));
  }
  return values;
}

// The block rows [a, a + p) x columns [b, b + q) of the column-major n x n G.
std::vector<double> block(const std::vector<double>& G, PetscInt n, PetscInt a, PetscInt p, PetscInt b, PetscInt q) {
  std::vector<double> out(static_cast<size_t>(p) * q);
  for (PetscInt col = 0; col < q; ++col)
    for (PetscInt row = 0; row < p; ++row) out[col * p + row] = G[(b + col) * n + a + row];
  return out;
}

// ||M||_2 of the column-major p x q M: the square root of the largest eigenvalue of M^T M.
double spectral_norm(const std::vector<double>& M, PetscInt p, PetscInt q) {
  std::vector<double> MtM(static_cast<size_t>(q) * q);
  PetscBLASInt bp = static_cast<PetscBLASInt>(p), bq = static_cast<PetscBLASInt>(q);
  const double one = 1, zero = 0;
  BLASgemm_("T", "N", &bq, &bq, &bp, &one, M.data(), &bp, M.data(), &bp, &zero, MtM.data(), &bq);
  return std::sqrt(std::max(0.0, eigenpairs(MtM, q, nullptr).front()));
}

}  // namespace

CrossSpectrum cross_spectrum(const std::vector<double>& H, const std::vector<double>& H_ref, PetscInt n,
                             const SpectrumSettings& settings) {
  const size_t nn = static_cast<size_t>(n) * n;
  require(n > 0 && H.size() == nn && H_ref.size() == nn, "cross-spectrum: H and H_ref must be n x n");
  std::vector<double> V;
  const std::vector<double> values = eigenpairs(H_ref, n, &V);
  std::vector<ScaleGroup> groups = group_eigenvalues(values, settings);
  std::vector<PetscInt> sizes, starts;
  PetscInt start = 0;
  for (const auto& g : groups) {
    starts.push_back(start);
    sizes.push_back(g.size);
    start += g.size;
  }
  // G = V^T H V (H symmetric, so row- and column-major agree): the blocks Pi_i H Pi_j^T.
  std::vector<double> HV(nn), G(nn);
  PetscBLASInt bn = static_cast<PetscBLASInt>(n);
  const double one = 1, zero = 0;
  BLASgemm_("N", "N", &bn, &bn, &bn, &one, H.data(), &bn, V.data(), &bn, &zero, HV.data(), &bn);
  BLASgemm_("T", "N", &bn, &bn, &bn, &one, V.data(), &bn, HV.data(), &bn, &zero, G.data(), &bn);
  const size_t m = groups.size();
  CrossSpectrum cs;
  cs.floor_size = n - start;
  if (cs.floor_size > 0) cs.floor_coupling = spectral_norm(block(G, n, 0, n, start, cs.floor_size), n, cs.floor_size);
  cs.coupling.assign(m * m, 0.0);
  for (size_t i = 0; i < m; ++i) {
    const auto diagonal = eigenpairs(block(G, n, starts[i], sizes[i], starts[i], sizes[i]), sizes[i], nullptr);
    cs.blocks.push_back({diagonal.front(), diagonal.back(), sizes[i]});
    for (size_t j = 0; j < m; ++j) {
      if (i == j) continue;
      cs.coupling[i * m + j] = spectral_norm(block(G, n, starts[i], sizes[i], starts[j], sizes[j]), sizes[i], sizes[j]);
      cs.delta = std::max(cs.delta, cs.coupling[i * m + j]);
    }
  }
  return cs;
}

std::vector<double> dense_hessian(Objective& objective, const std::vector<double>& point) {
  const PetscInt n = objective.dim();
  std::vector<double> H(static_cast<size_t>(n) * n), e(n, 0.0);
  for (PetscInt k = 0; k < n; ++k) {
    e[k] = 1;
    objective.hessian_vector(point.data(), e.data(), H.data() + static_cast<size_t>(k) * n);
    e[k] = 0;
  }
  // Symmetrise away the round-off of the products.
  for (PetscInt a = 0; a < n; ++a)
    for (PetscInt b = 0; b < a; ++b) H[a * n + b] = H[b * n + a] = 0.5 * (H[a * n + b] + H[b * n + a]);
  return H;
}

}  // namespace msopt
