// msopt: multiscale optimisation on MPI, PETSc and SLEPc.
//   msopt data multiscale ...   generate data (Assumption 2.1) into HDF5
//   msopt spectrum ...          covariance eigenvalues, scale groups, MrGD rates
//   msopt train ...             gd | mrgd | heavyball | nesterov | adam | cg | ksp_chebyshev | lbfgs
//   msopt evaluate ...          loss, gradient and accuracy at given parameters
//   msopt slice ...             the loss along a line and its second differences
//   msopt landscape ...         GD on the landscape paper's toy landscapes
//   msopt mgdl ...              multi-grade deep learning, SGDL, MSDL (MGDL paper)
//   msopt restore ...           image denoising / deblurring by MGDL or SGDL (TV loss)
// Every subcommand lists its options with -help.
#include <slepcsys.h>

#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"
#include "msopt/core/blas_kernel.hpp"
#include "msopt/core/command_line.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/job_exit.hpp"
#include "msopt/core/termination.hpp"
#include "msopt/core/unknown_options.hpp"
#include "msopt/core/watchdog.hpp"
#include "msopt/optim/optimizer.hpp"

namespace {

const char kUsage[] =
    "usage: msopt <command> [options]\n"
    "  data multiscale   generate multiscale data (MrGD paper, Assumption 2.1) into HDF5\n"
    "  data fashion-mnist  import Fashion-MNIST (IDX) into HDF5\n"
    "  data image        import a PNG image as regression data (pixel coordinates -> intensity)\n"
    "  data pca          align a dataset to its principal axes (Assumption 2.1)\n"
    "  data synthetic    MGDL paper Section 5 sin-sum data, settings 1 and 2\n"
    "  spectrum          SLEPc spectrum of the covariance, scale groups, MrGD rates\n"
    "  train             train with -opt_type gd|mrgd|heavyball|nesterov|adam|cg|ksp_chebyshev|lbfgs\n"
    "  evaluate          loss, gradient norm and accuracy at given parameters (e.g. on a test set)\n"
    "  slice             the loss along the gradient or a random direction, second differences\n"
    "  landscape         GD with rate decay on the landscape paper's toy landscapes (f1, f2, f3, valleys, relu3)\n"
    "  mgdl              multi-grade deep learning (MGDL paper), SGDL as one grade, MSDL\n"
    "  restore           image denoising / deblurring (MGDL paper, TV loss), MGDL grades or SGDL\n"
    "Options come from the PETSc options database (-options_file F replays a run); "
    "'msopt <command> -help' lists them; PETSc/SLEPc options of the solvers\n"
    "(-spec_eps_*, -opt_ksp_*, -log_view) apply as well.\n";

int dispatch(const std::vector<std::string>& words, bool help) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  if (words.empty()) {
    PetscPrintf(comm, "%s", kUsage);
    if (help) return 0;
    throw msopt::Error("no command given (see the usage above)");
  }
  if (words[0] == "data") {
    msopt::require(words.size() == 2, "usage: msopt data multiscale|fashion-mnist|image|pca|synthetic [options]");
    return msopt::apps::run_data(comm, words[1]);
  }
  msopt::require(words.size() == 1, "unexpected word '" + (words.size() > 1 ? words[1] : "") + "' after " + words[0]);
  if (words[0] == "spectrum") return msopt::apps::run_spectrum(comm);
  if (words[0] == "train") return msopt::apps::run_train(comm);
  if (words[0] == "evaluate") return msopt::apps::run_evaluate(comm);
  if (words[0] == "slice") return msopt::apps::run_slice(comm);
  if (words[0] == "landscape") return msopt::apps::run_landscape(comm);
  if (words[0] == "mgdl") return msopt::apps::run_mgdl(comm);
  if (words[0] == "restore") return msopt::apps::run_restore(comm);
  throw msopt::Error("unknown command '" + words[0] + "' (msopt -help lists the commands)");
}

// The options of every command and every optimizer, as their -help lists them.
std::vector<std::string> every_command_option() {
  MPI_Comm comm = PETSC_COMM_WORLD;
  std::vector<std::string> names;
  msopt::Options::collect_names(&names);
  try {
    for (const char* kind : {"multiscale", "fashion-mnist", "image", "pca", "synthetic"})
      msopt::apps::run_data(comm, kind);
    for (auto run : {msopt::apps::run_spectrum, msopt::apps::run_train, msopt::apps::run_evaluate,
                     msopt::apps::run_slice, msopt::apps::run_landscape, msopt::apps::run_mgdl,
                     msopt::apps::run_restore})
      run(comm);
    msopt::Options all(comm, "optimizers", "");
    for (const auto& type : msopt::optimizer_names()) msopt::create_optimizer(type)->set_from_options(all);
    all.finish();
  } catch (...) {
    msopt::Options::collect_names(nullptr);
    throw;
  }
  msopt::Options::collect_names(nullptr);
  return names;
}

// Before PETSc: a malformed command line ends every rank with one line from rank 0.
bool command_line_ok(int argc, char** argv, msopt::CommandLine& line, int rank) {
  try {
    line = msopt::parse_command_line(argc, argv);
    return true;
  } catch (const std::invalid_argument& e) {
    if (rank == 0) std::fprintf(stderr, "msopt: error: %s\n", e.what());
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // MPI first: the command line is checked before PETSc reads it, and the
  // watchdog runs from the start (a rank that never arrives is caught too).
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  msopt::init_error_agreement(MPI_COMM_WORLD);
  msopt::CommandLine line;
  if (!command_line_ok(argc, argv, line, rank)) {
    MPI_Finalize();
    return 1;
  }
  msopt::install_termination_handlers(rank);
  msopt::watchdog::start(line.watchdog_seconds >= 0 ? line.watchdog_seconds : msopt::watchdog::kDefaultFloorSeconds,
                         rank);
  // PETSc sees only the options. -help is kept from PetscInitialize (which
  // would print all of PETSc's options) and set afterwards, so each command
  // prints its own.
  std::vector<char*> args{argv[0]};
  for (auto& option : line.options) args.push_back(option.data());
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  char** petsc_args = args.data();
  if (SlepcInitialize(&count, &petsc_args, nullptr, kUsage)) {
    // Maybe on one rank only (rank 0 reads the options files): agree or end the job.
    msopt::end_after_local_error("PETSc could not start (its message is above)");
    MPI_Finalize();
    return 1;
  }
  msopt::capture_petsc_errors();
  msopt::blas::warn_if_fallback(PETSC_COMM_WORLD);
  msopt::set_command_line_options(line.options);
  msopt::set_all_commands_options(every_command_option);
  if (line.help && !line.words.empty()) PetscOptionsSetValue(nullptr, "-help", nullptr);

  int code = 0;
  try {
    code = dispatch(line.words, line.help);
  } catch (const msopt::Error& e) {
    PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "msopt: error: %s\n", e.what());
    code = 1;
  } catch (const std::bad_alloc&) {
    msopt::end_after_local_error("out of memory (std::bad_alloc): the problem does not fit; use more ranks or "
                                 "smaller sizes");
    code = 1;
  } catch (const std::exception& e) {
    msopt::end_after_local_error(e.what());
    code = 1;
  }
  SlepcFinalize();
  MPI_Finalize();
  return code;
}
