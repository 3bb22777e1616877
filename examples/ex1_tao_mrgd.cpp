/* ex1_tao_mrgd — MrGD as a TAO type in a PETSc program of your own.

   The program knows only PETSc. It fits a signal measured by three
   instruments of very different precision, with a little smoothing,

     f(x) = 1/2 sum_i w_i (x_i - d_i)^2 + alpha/2 sum_i (x_{i+1} - x_i)^2,

   on n unknowns split over the MPI ranks (a 1-D DMDA). The weights are
   w in [500, 1000] on the first third, [10, 20] on the second and [0.5, 1]
   on the last, so the Hessian W + alpha L has three scale groups and a
   condition number near 2e3. The objective and gradient are one TAO
   callback; the Hessian is a MATSHELL (MatMult and MatGetDiagonal).

   msopt enters in the lines marked "msopt:": the header, MsoptTaoRegisterAll()
   and the type name "mrgd". MrGD takes its rates and step counts from the
   spectrum of the program's own Hessian (SLEPc, through TaoSetHessian).
   The same program then solves with msopt's gd (rate 2/(L + mu) from the
   same spectrum) and TAO's own lmvm (L-BFGS), nls (Newton with CG on the
   shell Hessian), cg and bncg (nonlinear CG), each from the same start
   to ||grad f|| <= tol ||grad f(x0)||, and prints one row per TAO type:
   gradient evaluations, Hessian-vector products (for mrgd: those of the
   spectrum), iterations, final relative gradient norm and TAO's reason.

   Build against an installed msopt (cmake --install <msopt build> --prefix P):
     cmake -S examples -B build-ex -DCMAKE_PREFIX_PATH=P && cmake --build build-ex
   Run:
     mpiexec -n 2 build-ex/ex1_tao_mrgd [-n 300] [-alpha 0.25] [-tol 1e-6]
             [-types mrgd,gd,lmvm,nls,cg,bncg] [-tao_monitor] [-tao_view]
             [-tao_mrgd_eta 1.5] [-tao_mrgd_spec_gap_ratio 3] ...
   (-tao_* options reach every solver; see msopt/optim/tao_types.hpp for
   the mrgd ones.) */
#include <petscdmda.h>
#include <petsctao.h>
#include <slepcsys.h>

#include <msopt/optim/tao_types.hpp> /* msopt: the TAO types */

static const char help[] = "MrGD (msopt) beside TAO's lmvm, nls and bncg on a three-scale least-squares fit.\n";

typedef struct {
  DM        da;
  Vec       local;   /* x with ghost points */
  PetscReal alpha;
  PetscInt  n;
  PetscInt  evaluations, hessian_products;
} AppCtx;

/* The weight and the measurement at point i. */
static PetscReal Weight(PetscInt i, PetscInt n)
{
  const PetscReal u = PetscFmodReal(0.6180339887 * (PetscReal)i, 1.0); /* spread within a group */
  if (i < n / 3) return 500.0 * (1.0 + u);
  if (i < 2 * n / 3) return 10.0 * (1.0 + u);
  return 0.5 * (1.0 + u);
}

static PetscReal Measurement(PetscInt i, PetscInt n)
{
  const PetscReal t = (PetscReal)i / (PetscReal)n;
  return PetscSinReal(2 * PETSC_PI * t) + 0.1 * PetscCosReal(17.0 * (PetscReal)i);
}

/* y = (W + alpha L) x (if y) and f(x) (if f), L the Laplacian of the path. */
static PetscErrorCode Apply(AppCtx *user, Vec x, Vec y, PetscReal *f, PetscBool with_data)
{
  const PetscScalar *xl;
  PetscScalar       *yl = NULL;
  PetscInt           start, m, i;
  PetscReal          local_f = 0.0;

  PetscFunctionBeginUser;
  PetscCall(DMGlobalToLocalBegin(user->da, x, INSERT_VALUES, user->local));
  PetscCall(DMGlobalToLocalEnd(user->da, x, INSERT_VALUES, user->local));
  PetscCall(DMDAVecGetArrayRead(user->da, user->local, &xl));
  if (y) PetscCall(DMDAVecGetArray(user->da, y, &yl));
  PetscCall(DMDAGetCorners(user->da, &start, NULL, NULL, &m, NULL, NULL));
  for (i = start; i < start + m; i++) {
    const PetscReal r = xl[i] - (with_data ? Measurement(i, user->n) : 0.0);
    PetscReal       lx = 0.0;
    if (i > 0) lx += xl[i] - xl[i - 1];
    if (i < user->n - 1) {
      lx += xl[i] - xl[i + 1];
      local_f += 0.5 * user->alpha * (xl[i + 1] - xl[i]) * (xl[i + 1] - xl[i]);
    }
    local_f += 0.5 * Weight(i, user->n) * r * r;
    if (y) yl[i] = Weight(i, user->n) * r + user->alpha * lx;
  }
  PetscCall(DMDAVecRestoreArrayRead(user->da, user->local, &xl));
  if (y) PetscCall(DMDAVecRestoreArray(user->da, y, &yl));
  if (f) PetscCallMPI(MPI_Allreduce(&local_f, f, 1, MPIU_REAL, MPIU_SUM, PetscObjectComm((PetscObject)x)));
  PetscCall(PetscLogFlops(8.0 * m));
  PetscFunctionReturn(0);
}

static PetscErrorCode FormFunctionGradient(Tao, Vec x, PetscReal *f, Vec g, void *ctx)
{
  AppCtx *user = (AppCtx *)ctx;

  PetscFunctionBeginUser;
  user->evaluations++;
  PetscCall(Apply(user, x, g, f, PETSC_TRUE));
  PetscFunctionReturn(0);
}

static PetscErrorCode HessianMult(Mat H, Vec x, Vec y)
{
  AppCtx *user;

  PetscFunctionBeginUser;
  PetscCall(MatShellGetContext(H, &user));
  user->hessian_products++;
  PetscCall(Apply(user, x, y, NULL, PETSC_FALSE));
  PetscFunctionReturn(0);
}

static PetscErrorCode HessianDiagonal(Mat H, Vec d)
{
  AppCtx      *user;
  PetscScalar *dl;
  PetscInt     start, m, i;

  PetscFunctionBeginUser;
  PetscCall(MatShellGetContext(H, &user));
  PetscCall(DMDAVecGetArray(user->da, d, &dl));
  PetscCall(DMDAGetCorners(user->da, &start, NULL, NULL, &m, NULL, NULL));
  for (i = start; i < start + m; i++) dl[i] = Weight(i, user->n) + user->alpha * ((i > 0) + (i < user->n - 1));
  PetscCall(DMDAVecRestoreArray(user->da, d, &dl));
  PetscFunctionReturn(0);
}

/* The Hessian is constant: nothing to update. */
static PetscErrorCode FormHessian(Tao, Vec, Mat, Mat, void *)
{
  PetscFunctionBeginUser;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  AppCtx    user;
  Vec       x;
  Mat       H;
  PetscInt  mlocal, ntypes = 8, k;
  PetscReal tol = 1e-6;
  char     *types[8];
  PetscBool set;

  PetscCall(SlepcInitialize(&argc, &argv, NULL, help));
  PetscCall(MsoptTaoRegisterAll()); /* msopt: TAO types mrgd, gd, heavyball, nesterov, adam */

  user.n     = 300;
  user.alpha = 0.25;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &user.n, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-alpha", &user.alpha, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-tol", &tol, NULL));
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-types", types, &ntypes, &set));
  if (!set) {
    const char *defaults[] = {"mrgd", "gd", "lmvm", "nls", "cg", "bncg"}; /* msopt: "mrgd" (and "gd") are TAO types now */
    ntypes                 = 6;
    for (k = 0; k < ntypes; k++) PetscCall(PetscStrallocpy(defaults[k], &types[k]));
  }
  /* Newton's inner solver on a shell Hessian: CG without a preconditioner, unless told otherwise. */
  PetscCall(PetscOptionsHasName(NULL, NULL, "-tao_nls_ksp_type", &set));
  if (!set) PetscCall(PetscOptionsSetValue(NULL, "-tao_nls_ksp_type", "cg"));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-tao_nls_pc_type", &set));
  if (!set) PetscCall(PetscOptionsSetValue(NULL, "-tao_nls_pc_type", "none"));

  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, user.n, 1, 1, NULL, &user.da));
  PetscCall(DMSetUp(user.da));
  PetscCall(DMCreateGlobalVector(user.da, &x));
  PetscCall(DMCreateLocalVector(user.da, &user.local));
  PetscCall(VecGetLocalSize(x, &mlocal));
  PetscCall(MatCreateShell(PETSC_COMM_WORLD, mlocal, mlocal, user.n, user.n, &user, &H));
  PetscCall(MatShellSetOperation(H, MATOP_MULT, (void (*)(void))HessianMult));
  PetscCall(MatShellSetOperation(H, MATOP_GET_DIAGONAL, (void (*)(void))HessianDiagonal));
  PetscCall(MatSetOption(H, MAT_SYMMETRIC, PETSC_TRUE));

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ex1_tao_mrgd: n = %" PetscInt_FMT ", alpha = %g, stop at ||g|| <= %g ||g0||\n", user.n, (double)user.alpha, (double)tol));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-10s %12s %12s %10s %14s  %s\n", "TAO type", "grad evals", "H*v", "its", "||g||/||g0||", "reason"));
  for (k = 0; k < ntypes; k++) {
    Tao                tao;
    TaoConvergedReason reason;
    PetscInt           its;
    PetscReal          gnorm, gnorm0;
    Vec                g;

    PetscCall(VecSet(x, 0.0));
    user.evaluations = user.hessian_products = 0;
    PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
    PetscCall(TaoSetType(tao, types[k])); /* msopt: "mrgd" */
    PetscCall(TaoSetSolution(tao, x));
    PetscCall(TaoSetObjectiveAndGradient(tao, NULL, FormFunctionGradient, &user));
    PetscCall(TaoSetHessian(tao, H, H, FormHessian, &user));
    PetscCall(TaoSetTolerances(tao, 0.0, 0.0, tol));
    PetscCall(TaoSetMaximumIterations(tao, 100000));
    PetscCall(TaoSetMaximumFunctionEvaluations(tao, 100000));
    PetscCall(TaoSetFromOptions(tao));
    PetscCall(TaoSolve(tao));
    PetscCall(TaoGetConvergedReason(tao, &reason));
    PetscCall(TaoGetIterationNumber(tao, &its));
    /* The final gradient norm relative to the start's, from a fresh evaluation (not counted). */
    PetscCall(VecDuplicate(x, &g));
    PetscCall(Apply(&user, x, g, NULL, PETSC_TRUE));
    PetscCall(VecNorm(g, NORM_2, &gnorm));
    PetscCall(VecSet(g, 0.0));
    PetscCall(Apply(&user, g, g, NULL, PETSC_TRUE));
    PetscCall(VecNorm(g, NORM_2, &gnorm0));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-10s %12" PetscInt_FMT " %12" PetscInt_FMT " %10" PetscInt_FMT " %14.3e  %s\n", types[k], user.evaluations, user.hessian_products, its, (double)(gnorm / gnorm0),
                          TaoConvergedReasons[reason]));
    PetscCall(VecDestroy(&g));
    PetscCall(TaoDestroy(&tao));
    PetscCall(PetscFree(types[k]));
  }

  PetscCall(MatDestroy(&H));
  PetscCall(VecDestroy(&user.local));
  PetscCall(VecDestroy(&x));
  PetscCall(DMDestroy(&user.da));
  PetscCall(SlepcFinalize());
  return 0;
}
