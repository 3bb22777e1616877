/* ex2_least_squares_mrgd — least squares -> spectrum -> MrGD through msopt's
   C++ library, without the msopt command.

   The program generates multiscale data of the MrGD paper's Assumption 2.1
   (rows split over the MPI ranks), builds the least-squares objective
   L(w) = 1/(2N) sum_i (x_i . w - y_i)^2, computes the spectrum of its
   Hessian (the covariance X^T X / N, an MPIDENSE matrix, by SLEPc) and
   turns the spectrum's scale groups into MrGD's rates and step counts. It
   then runs every optimizer named by -types through the same lifecycle as
   the msopt command:

     create_optimizer(type) -> set_from_options(options) -> set_up(problem)
     -> solve(task) -> view()

   and prints one row per optimizer: gradient evaluations to the tolerance
   (the starting gradient counts as evaluation 1, for every method), the
   final relative gradient norm and the reason it stopped.

   Build against an installed msopt (cmake --install <msopt build> --prefix P):
     cmake -S examples -B build-ex -DCMAKE_PREFIX_PATH=P && cmake --build build-ex
   Run:
     mpiexec -n 2 build-ex/ex2_least_squares_mrgd [-types mrgd,cg,gd]
             [-data_n 4000] [-data_dims 40,10] [-data_scales 1,0.01]
             [-opt_tol 1e-8] [-mrgd_schedule groups_chebyshev] [-help]
   (every msopt option of the data generator, the spectrum (-spec_*), the
   trainer (-opt_*) and the optimizers (-mrgd_*, ...) applies; -help lists them.) */
#include <slepcsys.h>

#include <cstdio>
#include <exception>
#include <sstream>
#include <string>

#include <msopt/core/error.hpp>
#include <msopt/core/options.hpp>
#include <msopt/data/multiscale_generator.hpp>
#include <msopt/linalg/operators.hpp>
#include <msopt/linalg/spectrum.hpp>
#include <msopt/models/quadratic_least_squares.hpp>
#include <msopt/optim/optimizer.hpp>
#include <msopt/train/trainer.hpp>

static const char help[] = "Least squares -> SLEPc spectrum -> MrGD through msopt's library API.\n";

static int run(MPI_Comm comm)
{
  msopt::Options options(comm, "ex2_least_squares_mrgd", "least squares -> spectrum -> MrGD through the library");
  std::stringstream types_text(options.string("-types", "mrgd,cg,gd", "optimizers to run, comma-separated"));
  msopt::MultiscaleSpec data_spec = msopt::MultiscaleSpec::from_options(options);
  msopt::SpectrumSettings spectrum_settings = msopt::SpectrumSettings::from_options(options);
  msopt::TrainSettings train_settings = msopt::TrainSettings::from_options(options);
  std::vector<std::unique_ptr<msopt::Optimizer>> optimizers;
  for (std::string type; std::getline(types_text, type, ',');) {
    optimizers.push_back(msopt::create_optimizer(type)); /* create */
    optimizers.back()->set_from_options(options);       /* set-from-options */
  }
  if (options.finish()) return 0; /* -help printed; unknown options are refused here */
  if (!train_settings.restart.empty() || train_settings.checkpoint_every > 0)
    throw msopt::Error("options -restart and -checkpoint_every: this example keeps no checkpoints");

  msopt::Dataset data = msopt::generate_multiscale(data_spec, comm);
  msopt::QuadraticLeastSquares objective(data);
  msopt::MatHandle covariance = msopt::create_covariance_dense(data);
  msopt::Spectrum spectrum = msopt::compute_spectrum(covariance, spectrum_settings);
  PetscPrintf(comm, "ex2: N = %d, d = %d; spectrum in %zu scale groups:\n", (int)data.n_global, (int)data.dim,
              spectrum.groups.size());
  for (const msopt::ScaleGroup& g : spectrum.groups)
    PetscPrintf(comm, "  [%.4e, %.4e], %d eigenvalues\n", g.sigma_min, g.sigma_max, (int)g.size);

  msopt::ProblemInfo problem;
  problem.dim = objective.dim();
  problem.groups = spectrum.groups;
  problem.rtol = train_settings.rtol;

  msopt::SolveTask task;
  task.objective = &objective;
  task.start.assign(objective.dim(), 0.0);
  task.rtol = train_settings.rtol;
  task.reference_norm = objective.rhs_norm(); /* ||grad L(0)|| */
  task.max_it = train_settings.max_it;
  task.normal_matrix = [&data] { return msopt::create_covariance_dense(data); }; /* for the KSP baselines */
  task.rhs = objective.rhs();
  task.run_steps = [&](msopt::StepOptimizer& stepping) { /* msopt's trainer, for the stepping methods */
    msopt::ProblemFingerprint fingerprint{(double)data.n_global, (double)objective.dim(), task.reference_norm,
                                          stepping.type()};
    msopt::Checkpoint start;
    start.parameters = task.start;
    msopt::TrainOutcome out = msopt::train(objective, stepping, train_settings, fingerprint, start);
    return msopt::SolveOutcome{out.history, out.parameters, out.converged, out.diverged, out.reason};
  };

  PetscPrintf(comm, "%-10s %12s %14s  %s\n", "type", "evaluations", "rel. gradient", "reason");
  for (auto& optimizer : optimizers) {
    optimizer->set_up(problem); /* set-up: rates from the scale groups */
    PetscPrintf(comm, "%s", optimizer->view().c_str());
    msopt::SolveOutcome out = optimizer->solve(task); /* solve */
    const double reached = out.history.evaluations_to_reach(task.rtol * task.reference_norm);
    const std::string count = reached < 0 ? "none" : std::to_string((long)reached);
    PetscPrintf(comm, "%-10s %12s %14.3e  %s\n", optimizer->type().c_str(), count.c_str(),
                out.history.residual.back() / task.reference_norm, out.reason.c_str());
  }
  return 0;
}

int main(int argc, char **argv)
{
  PetscCall(SlepcInitialize(&argc, &argv, nullptr, help));
  int status = 0;
  try {
    status = run(PETSC_COMM_WORLD);
  } catch (const std::exception &e) { /* msopt reports a user's mistake as one line */
    PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "ex2: error: %s\n", e.what());
    status = 1;
  }
  PetscCall(SlepcFinalize());
  return status;
}
