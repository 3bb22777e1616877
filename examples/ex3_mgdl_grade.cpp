/* ex3_mgdl_grade — one grade of multi-grade deep learning (MGDL paper,
   Section 3) through msopt's C++ library, without the msopt command.

   The data are the MGDL paper's synthetic regression (Section 5, eq. (5)):
   g(x) = sum_j sin(2 pi kappa_j x + phi_j) at N points of [0, 1], rows
   split over the MPI ranks. Grade 1 is a shallow network (-grades, e.g.
   1-32-1 then 32-32-1) fitted by least squares. Its optimizer comes from
   msopt's registry through the same lifecycle as in the msopt command;
   plain GD takes its rate 2/(L + mu) from the SLEPc spectrum of the grade's
   own Hessian at its start (a matrix-free shell: H v by the network's
   second-order backpropagation) unless -opt_lr is given. After training,
   the grade is frozen: grade 2's data become the frozen features and the
   residual e_2 = y - g_1(x) (eq. (3)), so 1/2 mean e_2^2 equals grade 1's
   loss at its frozen parameters, which the program prints side by side.

   Build against an installed msopt (cmake --install <msopt build> --prefix P):
     cmake -S examples -B build-ex -DCMAKE_PREFIX_PATH=P && cmake --build build-ex
   Run:
     mpiexec -n 2 build-ex/ex3_mgdl_grade [-grades 1-32-1,32-32-1] [-data_n 512]
             [-opt_type gd|adam|...] [-opt_lr 0.1] [-opt_max_it 2000] [-help] */
#include <slepcsys.h>

#include <cstdio>
#include <exception>

#include <msopt/core/options.hpp>
#include <msopt/linalg/operators.hpp>
#include <msopt/linalg/spectrum.hpp>
#include <msopt/mgdl/grade_run.hpp>
#include <msopt/mgdl/initialisation.hpp>
#include <msopt/mgdl/multi_grade.hpp>
#include <msopt/mgdl/synthetic.hpp>
#include <msopt/optim/optimizer.hpp>

static const char help[] = "One MGDL grade through msopt's library API.\n";

/* 1/2 mean y^2 of a dataset's targets (collective). */
static double half_mean_square(const msopt::Dataset &data)
{
  double local = 0, total = 0;
  for (double e : data.y) local += 0.5 * e * e;
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, data.comm);
  return total / (double)data.n_global;
}

static int run(MPI_Comm comm)
{
  msopt::Options options(comm, "ex3_mgdl_grade", "one MGDL grade through the library");
  msopt::SyntheticSpec data_spec = msopt::SyntheticSpec::from_options(options);
  const std::string grades = options.string("-grades", "1-32-1,32-32-1", "widths of the grades (MGDL paper (30))");
  msopt::SpectrumSettings spectrum_settings = msopt::SpectrumSettings::from_options(options);
  spectrum_settings.floor = 1e-8; /* network Hessians: no rate for their near-null directions */
  msopt::GradeRunSettings run_settings;
  run_settings.train = msopt::TrainSettings::from_options(options);
  run_settings.fingerprint = "ex3 grade 1";
  run_settings.resume = !run_settings.train.restart.empty(); /* continue from -restart's newest checkpoint */
  if (run_settings.resume) run_settings.train.checkpoint_path = run_settings.train.restart;
  const std::string type = options.choice("-opt_type", "gd", msopt::optimizer_names(true), "optimizer of the grade");
  std::unique_ptr<msopt::Optimizer> optimizer = msopt::create_optimizer(type); /* create */
  optimizer->set_from_options(options);                                       /* set-from-options */
  if (options.finish()) return 0; /* -help printed; unknown options are refused here */

  msopt::Dataset data = msopt::generate_synthetic(data_spec, comm);
  msopt::MultiGrade multi(data, nullptr, msopt::parse_grades(grades), msopt::Activation::relu);
  msopt::Mlp &grade = multi.current();
  std::vector<double> start = msopt::network_initial_parameters(grade, 1, "torch");

  msopt::ProblemInfo problem; /* set-up: the spectrum of the grade's Hessian, where the method needs it */
  problem.dim = grade.dim();
  if (optimizer->needs_spectrum()) {
    msopt::MatHandle hessian = msopt::create_hessian_shell(grade, start);
    problem.groups = msopt::compute_spectrum(hessian, spectrum_settings).groups;
  }
  optimizer->set_up(problem);
  PetscPrintf(comm, "ex3: N = %d points, grade 1 of %s: %d parameters\n%s", (int)data.n_global, grades.c_str(),
              (int)grade.dim(), optimizer->view().c_str());

  auto &stepping = static_cast<msopt::StepOptimizer &>(*optimizer); /* the grades' methods step */
  msopt::GradeRecord record = msopt::run_grade(grade, start, {}, stepping, run_settings); /* solve */
  std::vector<double> gradient(grade.dim());
  const double frozen_loss = grade.value_and_gradient(record.parameters.data(), gradient.data());
  PetscPrintf(comm, "ex3: grade 1: loss %.6e -> %.6e in %zu gradient evaluations (%s)\n", record.train_loss.front(),
              frozen_loss, record.train_loss.size(), record.reason.c_str());

  multi.finish_grade(record.parameters); /* freeze: grade 2 fits the residual on the frozen features */
  const msopt::Dataset &next = multi.current_data();
  PetscPrintf(comm, "ex3: grade 2 data: %d features, 1/2 mean residual^2 %.15e, grade 1's loss %.15e\n",
              (int)next.dim, half_mean_square(next), frozen_loss);
  return 0;
}

int main(int argc, char **argv)
{
  PetscCall(SlepcInitialize(&argc, &argv, nullptr, help));
  int status = 0;
  try {
    status = run(PETSC_COMM_WORLD);
  } catch (const std::exception &e) { /* msopt reports a user's mistake as one line */
    PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "ex3: error: %s\n", e.what());
    status = 1;
  }
  PetscCall(SlepcFinalize());
  return status;
}
