// The msopt subcommands. Each reads its options, prints -help, runs, and
// returns the exit code; msopt::Error ends it with one line on every rank.
#pragma once
#include <mpi.h>

#include <memory>
#include <string>

#include "msopt/core/handles.hpp"
#include "msopt/core/options.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/model_registry.hpp"
#include "msopt/models/quadratic_least_squares.hpp"

namespace msopt::apps {

int run_data(MPI_Comm comm, const std::string& kind);
int run_spectrum(MPI_Comm comm);
int run_train(MPI_Comm comm);
int run_evaluate(MPI_Comm comm);
int run_slice(MPI_Comm comm);
int run_landscape(MPI_Comm comm);
int run_mgdl(MPI_Comm comm);
int run_restore(MPI_Comm comm);

// A dataset and a model: what spectrum and train work on.
struct Problem {
  std::string data_path;  // or "generated data" with -data_generate
  bool generate = false;
  MultiscaleSpec generator;
  ModelSpec model;
  std::string start_path;     // -model_start (empty: the model's initial parameters)
  std::string operator_kind;  // dense | shell (dense: least squares only)
  std::string hessian_kind;   // full | class_blocks (softmax)
  SpectrumSettings spectrum_settings;
  Dataset data;
  std::unique_ptr<Objective> objective;
  std::vector<double> start;    // initial parameters
  double reference_norm = 0;    // ||grad L(start)|| (= ||b|| for least squares)

  void read_options(Options& options);  // -data_*, -model*, -mlp_*, -spec_operator, -spec_*
  void load(MPI_Comm comm);             // data, model, start point, reference norm
  void declare_files(RunFiles& files) const;  // -data_file, -model_start
  // N, d, the operator's size and the data's checksum (after load): what a
  // spectrum file must carry to be used with this problem.
  std::vector<double> fingerprint(PetscInt operator_size) const;
  // Collective: the spectrum in `path`, refused unless it was computed from this problem's data.
  Spectrum matching_spectrum(const std::string& path, MPI_Comm comm) const;
  // The Hessian at `point` as a PETSc operator: the explicit covariance for
  // least squares with -spec_operator dense, the matrix-free shell otherwise.
  MatHandle hessian(const std::vector<double>& point);
  // The spectrum at `point` as -spec_hessian says: of hessian(point) by
  // compute_spectrum, or (softmax) of the Hessian's class blocks.
  Spectrum spectrum_at(const std::vector<double>& point);
  const QuadraticLeastSquares* least_squares() const;
};

// Parameters stored in FILE: a checkpoint's /parameters or a history's /solution.
std::vector<double> read_parameters(const std::string& path, MPI_Comm comm, PetscInt expected_size);

}  // namespace msopt::apps
