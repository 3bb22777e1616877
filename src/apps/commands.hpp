// The msopt subcommands. Each reads its options, prints -help, runs, and
// returns the exit code; msopt::Error ends it with one line on every rank.
#pragma once
#include <mpi.h>

#include <memory>
#include <string>

#include "msopt/core/handles.hpp"
#include "msopt/core/options.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/quadratic_least_squares.hpp"

namespace msopt::apps {

int run_data(MPI_Comm comm, const std::string& kind);
int run_spectrum(MPI_Comm comm);
int run_train(MPI_Comm comm);

// The least-squares problem of a dataset file, shared by spectrum and train.
struct LeastSquaresProblem {
  std::string data_path;  // or "generated" with -data_generate
  bool generate = false;
  MultiscaleSpec generator;
  std::string operator_kind;  // dense | shell
  SpectrumSettings spectrum_settings;
  Dataset data;
  std::unique_ptr<QuadraticLeastSquares> objective;

  void read_options(Options& options);  // -data_file or -data_generate, -spec_operator, -spec_*
  void load(MPI_Comm comm);             // reads or generates the data and builds the objective
  MatHandle covariance();               // A = X^T X / N as chosen by -spec_operator
};

}  // namespace msopt::apps
