#include "commands.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/linalg/operators.hpp"

namespace msopt::apps {

void LeastSquaresProblem::read_options(Options& o) {
  generate = o.flag("-data_generate", "generate multiscale data in memory (-data_* options) instead of -data_file");
  if (generate) {
    generator = MultiscaleSpec::from_options(o);
    data_path = "generated data";
  } else {
    data_path = o.required_string("-data_file", "HDF5 dataset (/X, /y) to read");
  }
  operator_kind = o.choice("-spec_operator", "dense", {"dense", "shell"},
                           "covariance as explicit MPIDENSE or matrix-free MATSHELL");
  spectrum_settings = SpectrumSettings::from_options(o);
}

void LeastSquaresProblem::load(MPI_Comm comm) {
  ScopedStage stage(log_registry().data);
  data = generate ? generate_multiscale(generator, comm) : read_dataset(data_path, comm);
  objective = std::make_unique<QuadraticLeastSquares>(data);
}

MatHandle LeastSquaresProblem::covariance() {
  return operator_kind == "dense" ? create_covariance_dense(data) : create_hessian_shell(*objective, std::vector<double>(data.dim, 0.0));
}

}  // namespace msopt::apps
