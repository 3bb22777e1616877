#include "msopt/linalg/operators.hpp"

#include <petscblaslapack.h>

#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/watchdog.hpp"

namespace msopt {

std::vector<double> covariance_replicated(const Dataset& data) {
  const PetscInt d = data.dim;
  std::vector<double> local(static_cast<size_t>(d) * d, 0.0), full(local.size());
  const PetscBLASInt n = static_cast<PetscBLASInt>(d), k = static_cast<PetscBLASInt>(data.rows.count);
  const double scale = 1.0 / static_cast<double>(data.n_global), zero = 0.0;
  if (k > 0)  // row-major X_local is column-major X_local^T (d x k): C = X^T X
    BLASsyrk_("U", "N", &n, &k, &scale, data.X.data(), &n, &zero, local.data(), &n);
  MSOPT_MPI(MPI_Allreduce(local.data(), full.data(), d * d, MPI_DOUBLE, MPI_SUM, data.comm));
  for (PetscInt col = 0; col < d; ++col)
    for (PetscInt row = col + 1; row < d; ++row) full[col * d + row] = full[row * d + col];
  return full;
}

MatHandle create_covariance_dense(const Dataset& data) {
  const PetscInt d = data.dim;
  const std::vector<double> full = covariance_replicated(data);
  MatHandle A;
  MSOPT_PETSC(MatCreateDense(data.comm, PETSC_DECIDE, PETSC_DECIDE, d, d, nullptr, A.out()));
  PetscInt begin = 0, end = 0;
  MSOPT_PETSC(MatGetOwnershipRange(A, &begin, &end));
  std::vector<PetscInt> cols(d);
  for (PetscInt j = 0; j < d; ++j) cols[j] = j;
  for (PetscInt row = begin; row < end; ++row)  // symmetric: column `row` is row `row`
    MSOPT_PETSC(MatSetValues(A, 1, &row, d, cols.data(), full.data() + row * d, INSERT_VALUES));
  MSOPT_PETSC(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  MSOPT_PETSC(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  return A;
}

namespace {

struct ShellContext {
  LocalApply apply;
  MPI_Comm comm = MPI_COMM_NULL;
  double flops = 0;
  VecScatter to_all = nullptr;
  Vec gathered = nullptr;
  std::vector<double> partial;
  std::vector<int> counts;
};

PetscErrorCode shell_destroy(void* raw) {
  auto* ctx = static_cast<ShellContext*>(raw);
  PetscFunctionBeginUser;
  PetscCall(VecScatterDestroy(&ctx->to_all));
  PetscCall(VecDestroy(&ctx->gathered));
  delete ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode shell_mult(Mat A, Vec x, Vec y) {
  msopt::watchdog::beat("Hessian-vector product");
  ShellContext* ctx = nullptr;
  PetscFunctionBeginUser;
  PetscCall(MatShellGetContext(A, &ctx));
  PetscCall(VecScatterBegin(ctx->to_all, x, ctx->gathered, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(ctx->to_all, x, ctx->gathered, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* v = nullptr;
  PetscScalar* out = nullptr;
  const LogRegistry& log = log_registry();
  PetscCall(VecGetArrayRead(ctx->gathered, &v));
  PetscCall(PetscLogEventBegin(log.gradient_compute, A, 0, 0, 0));
  try {
    ctx->apply(v, ctx->partial.data());
  } catch (const std::exception& e) {
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "%s", e.what());
  }
  PetscCall(PetscLogEventEnd(log.gradient_compute, A, 0, 0, 0));
  PetscCall(VecRestoreArrayRead(ctx->gathered, &v));
  PetscCall(VecGetArray(y, &out));
  PetscCall(PetscLogEventBegin(log.gradient_reduce, A, 0, 0, 0));
  PetscCallMPI(MPI_Reduce_scatter(ctx->partial.data(), out, ctx->counts.data(), MPI_DOUBLE, MPI_SUM, ctx->comm));
  PetscCall(PetscLogEventEnd(log.gradient_reduce, A, 0, 0, 0));
  PetscCall(VecRestoreArray(y, &out));
  PetscCall(PetscLogFlops(ctx->flops));
  PetscFunctionReturn(0);
}

}  // namespace

MatHandle create_replicated_shell(MPI_Comm comm, PetscInt n, LocalApply apply, double flops) {
  auto* ctx = new ShellContext;
  ctx->apply = std::move(apply);
  ctx->comm = comm;
  ctx->flops = flops;
  ctx->partial.assign(n, 0.0);
  MatHandle A;
  MSOPT_PETSC(MatCreateShell(comm, PETSC_DECIDE, PETSC_DECIDE, n, n, ctx, A.out()));
  MSOPT_PETSC(MatShellSetContextDestroy(A, shell_destroy));
  MSOPT_PETSC(MatShellSetOperation(A, MATOP_MULT, reinterpret_cast<void (*)(void)>(shell_mult)));
  MSOPT_PETSC(MatSetOption(A, MAT_SYMMETRIC, PETSC_TRUE));
  MSOPT_PETSC(MatSetUp(A));
  VecHandle x;
  MSOPT_PETSC(MatCreateVecs(A, x.out(), nullptr));
  MSOPT_PETSC(VecScatterCreateToAll(x, &ctx->to_all, &ctx->gathered));
  int size = 1;
  MPI_Comm_size(comm, &size);
  const PetscInt* ranges = nullptr;
  MSOPT_PETSC(VecGetOwnershipRanges(x, &ranges));
  for (int r = 0; r < size; ++r) ctx->counts.push_back(static_cast<int>(ranges[r + 1] - ranges[r]));
  return A;
}

MatHandle create_hessian_shell(Objective& objective, const std::vector<double>& point) {
  return create_replicated_shell(
      objective.comm(), objective.dim(),
      [&objective, point](const double* v, double* partial) {
        objective.local_hessian_vector(point.data(), v, partial);
      },
      objective.local_hessian_vector_flops());
}

}  // namespace msopt
