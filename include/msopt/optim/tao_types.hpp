/* msopt's first-order methods as PETSc TAO types, for a user's own PETSc
   program (see examples/ex1_tao_mrgd.cpp).

     PetscCall(SlepcInitialize(&argc, &argv, NULL, NULL));
     PetscCall(MsoptTaoRegisterAll());      // TAO types mrgd, gd, heavyball, nesterov, adam
     ...
     PetscCall(TaoSetType(tao, "mrgd"));    // or -tao_type mrgd with TaoSetFromOptions

   Each type runs the step of msopt's own optimizer (msopt::create_optimizer,
   the same code `msopt train -opt_type X` runs) on the local part of the TAO
   solution Vec; every step costs one TaoComputeObjectiveAndGradient. The
   usual TAO controls work: -tao_max_it, -tao_max_funcs, -tao_gatol,
   -tao_grtol, -tao_gttol, -tao_monitor, -tao_view (which prints the step
   sizes, for mrgd the whole schedule), TaoSetConvergenceTest.

   Options: the TAO object's options, under its options prefix. The name is
   -tao_<type>_<key>; each key sets the msopt option on its right (read and
   checked by msopt's factory, so values mean exactly what they mean for the
   msopt command; an error names the TAO option):

     gd         -tao_gd_lr                          -opt_lr
     heavyball  -tao_heavyball_lr, _momentum        -opt_lr, -opt_momentum
     nesterov   -tao_nesterov_lr, _momentum         -opt_lr, -opt_momentum
     adam       -tao_adam_lr, _beta1, _beta2, _epsilon
                                                    -opt_lr, -adam_beta1, -adam_beta2, -adam_epsilon
     mrgd       -tao_mrgd_rates, _counts, _eta, _order, _schedule, _kappa, _steps
                                                    -mrgd_rates, -mrgd_counts, ... (same keys)

   Scale groups (mrgd always needs them; gd, heavyball and nesterov take their
   default rate and momentum from them when -tao_X_lr / -tao_X_momentum are
   not given; adam never uses them), first found of:
     -tao_X_groups smax1:smin1:size1,smax2:smin2:size2,...   given by hand, largest scale first
     -tao_X_spectrum_file FILE                               an msopt spectrum file (msopt spectrum -spec_out)
     the program's Hessian (TaoSetHessian; a MATSHELL with MATOP_MULT is enough),
       evaluated at the starting point; SLEPc computes its spectrum (msopt's
       compute_spectrum) under -tao_X_spec_method, _spec_nev, _spec_gap_ratio,
       _spec_floor, _spec_max_kappa (= msopt's -spec_*; the EPS itself takes
       msopt's -spec_eps_* options). It is computed once and kept until the
       next TaoSetFromOptions.

   mrgd without -tao_mrgd_rates/-tao_mrgd_eta picks eta and Theorem 3.4's
   step counts automatically from the groups (as `msopt train` does);
   -tao_mrgd_rates r1,r2 -tao_mrgd_counts n1,n2 give the schedule by hand
   (one rate and count per group). Not available through TAO: -mrgd_refresh
   (the schedule is fixed during a solve), checkpoints.

   Every TaoSolve starts the method afresh (momentum, Adam moments and the
   MrGD cycle position are reset), so two solves from the same start give the
   same iterates. */
#ifndef MSOPT_OPTIM_TAO_TYPES_HPP
#define MSOPT_OPTIM_TAO_TYPES_HPP

#include <petsctao.h>

/* Registers the TAO types mrgd, gd, heavyball, nesterov and adam. Call after
   PetscInitialize or SlepcInitialize (mrgd on a Hessian needs SLEPc); calling
   it again is harmless. */
PETSC_EXTERN PetscErrorCode MsoptTaoRegisterAll(void);

#endif
