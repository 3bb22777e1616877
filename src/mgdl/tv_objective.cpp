#include "msopt/mgdl/tv_objective.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/replicated_vec.hpp"

namespace msopt {

namespace {

// A Vec of n entries whose local part is exactly `rows`.
bool has_layout(Vec v, PetscInt n, const RowBlock& rows) {
  PetscInt size = 0, begin = 0, end = 0;
  MSOPT_PETSC(VecGetSize(v, &size));
  MSOPT_PETSC(VecGetOwnershipRange(v, &begin, &end));
  return size == n && begin == rows.begin && end - begin == rows.count;
}

VecHandle copy_of(Vec v) {
  VecHandle c;
  MSOPT_PETSC(VecDuplicate(v, c.out()));
  MSOPT_PETSC(VecCopy(v, c));
  return c;
}

MatHandle reference(Mat M) {
  MSOPT_PETSC(PetscObjectReference(reinterpret_cast<PetscObject>(M)));
  return MatHandle(M);
}

}  // namespace

TvObjective::TvObjective(Mlp& network, Vec f_hat, Mat A, Mat B, const TvParameters& params, double eps, Vec g_prev)
    : network_(network), params_(params), eps_(eps) {
  params_.check();
  require(std::isfinite(eps_) && eps_ > 0, "TV reconstruction: eps must be finite and > 0");
  require(network_.widths().back() == 1, "TV reconstruction: the network must have one output (an intensity)");
  require(f_hat != nullptr && B != nullptr, "TV reconstruction: the observed image and B are required");
  const Dataset& data = network_.data();
  const MPI_Comm c = data.comm;
  const PetscInt n = data.n_global;
  check_all(c, has_layout(f_hat, n, data.rows),
            "TV reconstruction: the observed image is not split over the ranks as the network's pixels");
  PetscInt rows = 0, cols = 0, local_rows = 0, local_cols = 0;
  MSOPT_PETSC(MatGetSize(B, &rows, &cols));
  MSOPT_PETSC(MatGetLocalSize(B, &local_rows, &local_cols));
  check_all(c, rows == 2 * n && cols == n && local_cols == data.rows.count,
            "TV reconstruction: B must be the 2n x n difference operator of the network's n pixels");
  if (A) {
    MSOPT_PETSC(MatGetSize(A, &rows, &cols));
    MSOPT_PETSC(MatGetLocalSize(A, &local_rows, &local_cols));
    check_all(c, rows == n && cols == n && local_rows == data.rows.count && local_cols == data.rows.count,
              "TV reconstruction: A must be an n x n operator split as the network's n pixels");
    A_ = reference(A);
  }
  B_ = reference(B);
  if (g_prev) {
    check_all(c, has_layout(g_prev, n, data.rows),
              "TV reconstruction: the previous grades' image is not split as the network's pixels");
    g_prev_ = copy_of(g_prev);
  }
  f_hat_ = copy_of(f_hat);
  MSOPT_PETSC(MatCreateVecs(B_, g_.out(), u_.out()));
  MSOPT_PETSC(VecSet(u_, 0.0));
  MSOPT_PETSC(VecDuplicate(u_, Bg_.out()));
  MSOPT_PETSC(VecDuplicate(u_, rb_.out()));
  MSOPT_PETSC(VecDuplicate(g_, ra_.out()));
  MSOPT_PETSC(VecDuplicate(g_, r_.out()));
  MSOPT_PETSC(VecDuplicate(g_, s_.out()));
  MSOPT_PETSC(VecDuplicate(g_, As_.out()));
  MSOPT_PETSC(VecDuplicate(g_, q_.out()));
  MSOPT_PETSC(VecDuplicate(u_, Bs_.out()));
  outputs_.resize(static_cast<size_t>(data.rows.count));
}

void TvObjective::reconstruct(const double* theta, Vec g) {
  const Dataset& data = network_.data();
  network_.predict(theta, data.X.data(), data.rows.count, outputs_.data());
  PetscScalar* x = nullptr;
  MSOPT_PETSC(VecGetArray(g, &x));
  for (PetscInt i = 0; i < data.rows.count; ++i) x[i] = eps_ * outputs_[i];
  MSOPT_PETSC(VecRestoreArray(g, &x));
  if (g_prev_.get()) MSOPT_PETSC(VecAXPY(g, 1.0, g_prev_));
}

void TvObjective::evaluate(const double* theta) {
  reconstruct(theta, g_);
  MSOPT_PETSC(MatMult(B_, g_, Bg_));
}

void TvObjective::prox_step(const double* theta) {
  evaluate(theta);
  tv_prox_step(u_, Bg_, params_);  // eq. (20)
}

double TvObjective::local_value() {
  if (A_.get())
    MSOPT_PETSC(MatMult(A_, g_, ra_));
  else
    MSOPT_PETSC(VecCopy(g_, ra_));
  MSOPT_PETSC(VecAXPY(ra_, -1.0, f_hat_));  // A g - f_hat
  MSOPT_PETSC(VecWAXPY(rb_, -1.0, u_, Bg_));  // B g - u
  PetscInt n = 0, m = 0;
  MSOPT_PETSC(VecGetLocalSize(ra_, &n));
  MSOPT_PETSC(VecGetLocalSize(rb_, &m));
  const PetscScalar *a = nullptr, *b = nullptr, *u = nullptr;
  MSOPT_PETSC(VecGetArrayRead(ra_, &a));
  MSOPT_PETSC(VecGetArrayRead(rb_, &b));
  MSOPT_PETSC(VecGetArrayRead(u_, &u));
  double fit = 0, coupling = 0, tv = 0;
  for (PetscInt i = 0; i < n; ++i) fit += a[i] * a[i];
  for (PetscInt i = 0; i < m; ++i) {
    coupling += b[i] * b[i];
    tv += std::fabs(u[i]);
  }
  MSOPT_PETSC(VecRestoreArrayRead(ra_, &a));
  MSOPT_PETSC(VecRestoreArrayRead(rb_, &b));
  MSOPT_PETSC(VecRestoreArrayRead(u_, &u));
  return 0.5 * fit + 0.5 * params_.beta * coupling + params_.lambda * tv;  // eqs. (22)/(24)
}

double TvObjective::value(const double* theta) {
  evaluate(theta);
  const double local = local_value();
  double total = 0;
  MSOPT_MPI(MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, comm()));
  return total;
}

void TvObjective::output_gradient() {
  // r = eps (A^T (A g - f_hat) + beta B^T (B g - u)) = dL/dN on every pixel.
  if (A_.get())
    MSOPT_PETSC(MatMultTranspose(A_, ra_, r_));
  else
    MSOPT_PETSC(VecCopy(ra_, r_));
  MSOPT_PETSC(VecScale(rb_, params_.beta));
  MSOPT_PETSC(MatMultTransposeAdd(B_, rb_, r_, r_));
  MSOPT_PETSC(VecScale(r_, eps_));
}

void TvObjective::local_value_and_gradient(const double* theta, double* partial) {
  if (prox_each_gradient_)
    prox_step(theta);  // u^{k+1} from g(Theta^k), eq. (20); g_ and Bg_ stay those of Theta^k
  else
    evaluate(theta);
  const double value = local_value();
  output_gradient();
  const PetscScalar* r = nullptr;
  MSOPT_PETSC(VecGetArrayRead(r_, &r));
  network_.local_gradient_from_output(theta, r, partial);
  MSOPT_PETSC(VecRestoreArrayRead(r_, &r));
  partial[dim()] = value;
}

void TvObjective::local_hessian_vector(const double* theta, const double* v, double* partial) {
  evaluate(theta);
  local_value();
  output_gradient();
  // s = eps J v, the change of the image g along v; q = Q J v = eps (A^T A s + beta B^T B s).
  PetscScalar* s = nullptr;
  MSOPT_PETSC(VecGetArray(s_, &s));
  network_.local_output_direction(theta, v, s);
  MSOPT_PETSC(VecRestoreArray(s_, &s));
  MSOPT_PETSC(VecScale(s_, eps_));
  if (A_.get()) {
    MSOPT_PETSC(MatMult(A_, s_, As_));
    MSOPT_PETSC(MatMultTranspose(A_, As_, q_));
  } else {
    MSOPT_PETSC(VecCopy(s_, q_));
  }
  MSOPT_PETSC(MatMult(B_, s_, Bs_));
  MSOPT_PETSC(VecScale(Bs_, params_.beta));
  MSOPT_PETSC(MatMultTransposeAdd(B_, Bs_, q_, q_));
  MSOPT_PETSC(VecScale(q_, eps_));
  const PetscScalar *r = nullptr, *q = nullptr;
  MSOPT_PETSC(VecGetArrayRead(r_, &r));
  MSOPT_PETSC(VecGetArrayRead(q_, &q));
  network_.local_hessian_vector_from_output(theta, v, r, q, partial);
  MSOPT_PETSC(VecRestoreArrayRead(r_, &r));
  MSOPT_PETSC(VecRestoreArrayRead(q_, &q));
}

std::vector<double> TvObjective::state() const { return gather_replicated(u_); }

void TvObjective::set_state(const std::vector<double>& u) {
  PetscInt size = 0;
  MSOPT_PETSC(VecGetSize(u_, &size));
  require(static_cast<PetscInt>(u.size()) == size,
          "TV reconstruction: the saved u has " + std::to_string(u.size()) + " entries, expected " +
              std::to_string(size) + " (2 x pixels)");
  set_from_replicated(u_, u);
}

}  // namespace msopt
