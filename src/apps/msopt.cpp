// msopt: multiscale optimisation on MPI, PETSc and SLEPc.
//   msopt data multiscale ...   generate data (Assumption 2.1) into HDF5
//   msopt spectrum ...          covariance eigenvalues, scale groups, MrGD rates
//   msopt train ...             gd | mrgd | heavyball | nesterov | adam | cg | chebyshev | lbfgs
//   msopt evaluate ...          loss, gradient and accuracy at given parameters
//   msopt slice ...             the loss along a line and its second differences
//   msopt mgdl ...              multi-grade deep learning, SGDL, MSDL (MGDL paper)
//   msopt restore ...           image denoising / deblurring by MGDL or SGDL (TV loss)
// Every subcommand lists its options with -help.
#include <slepcsys.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "msopt/core/error.hpp"

namespace {

const char kUsage[] =
    "usage: msopt <command> [options]\n"
    "  data multiscale   generate multiscale data (MrGD paper, Assumption 2.1) into HDF5\n"
    "  data fashion-mnist  import Fashion-MNIST (IDX) into HDF5\n"
    "  data image        import a PNG image as regression data (pixel coordinates -> intensity)\n"
    "  data pca          align a dataset to its principal axes (Assumption 2.1)\n"
    "  data synthetic    MGDL paper Section 5 sin-sum data, settings 1 and 2\n"
    "  spectrum          SLEPc spectrum of the covariance, scale groups, MrGD rates\n"
    "  train             train with -opt_type gd|mrgd|heavyball|nesterov|adam|cg|chebyshev|lbfgs\n"
    "  evaluate          loss, gradient norm and accuracy at given parameters (e.g. on a test set)\n"
    "  slice             the loss along the gradient or a random direction, second differences\n"
    "  mgdl              multi-grade deep learning (MGDL paper), SGDL as one grade, MSDL\n"
    "  restore           image denoising / deblurring (MGDL paper, TV loss), MGDL grades or SGDL\n"
    "Options come from the PETSc options database (-options_file F replays a run); "
    "'msopt <command> -help' lists them; PETSc/SLEPc options of the solvers\n"
    "(-spec_eps_*, -opt_ksp_*, -log_view) apply as well.\n";

int dispatch(const std::vector<std::string>& words) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  if (words.empty()) {
    PetscPrintf(comm, "%s", kUsage);
    return 1;
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
  if (words[0] == "mgdl") return msopt::apps::run_mgdl(comm);
  if (words[0] == "restore") return msopt::apps::run_restore(comm);
  throw msopt::Error("unknown command '" + words[0] + "'\n" + kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  // Command words come before the first option; PETSc sees only the options.
  // -help is kept from PetscInitialize (which would print all of PETSc's
  // options) and set afterwards, so each command prints its own.
  std::vector<std::string> words;
  std::vector<char*> args{argv[0]};
  bool help = false;
  int k = 1;
  for (; k < argc && argv[k][0] != '-'; ++k) words.emplace_back(argv[k]);
  for (; k < argc; ++k) {
    if (std::strcmp(argv[k], "-help") == 0 || std::strcmp(argv[k], "--help") == 0)
      help = true;
    else
      args.push_back(argv[k]);
  }
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);  // MPI reads argv up to its terminating null
  char** petsc_args = args.data();
  if (SlepcInitialize(&count, &petsc_args, nullptr, kUsage)) return 1;
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  if (help) PetscOptionsSetValue(nullptr, "-help", nullptr);

  int code = 0;
  try {
    code = dispatch(words);
  } catch (const msopt::Error& e) {
    PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "msopt: error: %s\n", e.what());
    code = 1;
  } catch (const std::exception& e) {
    int rank = 0;
    MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
    std::fprintf(stderr, "msopt: error on rank %d: %s\n", rank, e.what());
    std::fflush(stderr);
    MPI_Abort(PETSC_COMM_WORLD, 1);
  }
  SlepcFinalize();
  return code;
}
