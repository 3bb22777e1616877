#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "msopt/linalg/class_block_spectrum.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/vector_norm.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/linalg/operators.hpp"

namespace msopt::apps {

void Problem::read_options(Options& o) {
  generate = o.flag("-data_generate", "generate multiscale data in memory (-data_* options) instead of -data_file");
  if (generate) {
    require(o.help_requested() || !o.given("-data_file"),
            "options -data_generate and -data_file: give one (the data are generated or read, not both)");
    generator = MultiscaleSpec::from_options(o);
    data_path = "generated data";
  } else {
    data_path = o.required_string("-data_file", "HDF5 dataset (/X, /y) to read");
  }
  model = ModelSpec::from_options(o);
  start_path = o.string("-model_start", "", "start from these parameters (checkpoint, history or stage file)");
  operator_kind = o.choice("-spec_operator", "dense", {"dense", "shell"},
                           "covariance as explicit MPIDENSE or matrix-free MATSHELL (least squares)");
  hessian_kind = o.choice("-spec_hessian", "full", {"full", "class_blocks"},
                          "spectrum of the whole Hessian, or of its class blocks (softmax, Theorem 3.11)");
  spectrum_settings = SpectrumSettings::from_options(o);
  if (!o.help_requested())
    require(hessian_kind == "full" || model.kind == "softmax", "option -spec_hessian class_blocks: needs -model softmax");
  // Classification Hessians have exact null spaces (e.g. softmax's common shift
  // of all classes) that no rate should be fitted to.
  if (!model.is_least_squares() && !o.given("-spec_floor")) spectrum_settings.floor = 1e-8;
}

void Problem::load(MPI_Comm comm) {
  {
    ScopedStage stage(log_registry().data);
    data = generate ? generate_multiscale(generator, comm) : read_dataset(data_path, comm);
  }
  objective = create_model(model, data);
  start = start_path.empty() ? initial_parameters(model, *objective)
                             : read_parameters(start_path, comm, objective->dim());
  if (const auto* ls = least_squares()) {
    reference_norm = ls->rhs_norm();
  } else {
    std::vector<double> gradient(objective->dim());
    objective->value_and_gradient(start.data(), gradient.data());
    reference_norm = euclidean_norm(gradient);
  }
  require(reference_norm > 0 && std::isfinite(reference_norm),
          "'" + data_path + "': the gradient at the starting point is " + std::to_string(reference_norm) +
              ", nothing to train");
}

void Problem::declare_files(RunFiles& files) const {
  if (!generate) files.input("-data_file", data_path);
  files.input("-model_start", start_path);
}

std::vector<double> Problem::fingerprint(PetscInt operator_size) const {
  return {static_cast<double>(data.n_global), static_cast<double>(data.dim), static_cast<double>(operator_size),
          dataset_checksum(data)};
}

Spectrum Problem::matching_spectrum(const std::string& path, MPI_Comm comm) const {
  Spectrum s = read_spectrum(path, comm);
  require(!s.fingerprint.empty(), "option -spec_file: '" + path +
                                      "' carries no data fingerprint (an older msopt wrote it): compute it again "
                                      "with msopt spectrum");
  const auto expected = fingerprint(objective->dim());
  auto text = [](const std::vector<double>& f) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "N = %.0f, d = %.0f, operator size %.0f, data checksum %.0f", f.at(0),
                  f.at(1), f.at(2), f.at(3));
    return std::string(buffer);
  };
  require(s.fingerprint.size() == 4 && s.fingerprint == expected,
          "option -spec_file: '" + path + "' was computed from other data (" +
              (s.fingerprint.size() == 4 ? text(s.fingerprint) : std::string("malformed fingerprint")) + ") than '" +
              data_path + "' (" + text(expected) + ")");
  return s;
}

MatHandle Problem::hessian(const std::vector<double>& point) {
  if (least_squares() && operator_kind == "dense") return create_covariance_dense(data);
  return create_hessian_shell(*objective, point);
}

Spectrum Problem::spectrum_at(const std::vector<double>& point) {
  ScopedStage stage(log_registry().spectrum);
  if (hessian_kind == "class_blocks") {
    Spectrum s;
    s.eigenvalues = class_block_eigenvalues(static_cast<SoftmaxRegression&>(*objective), point);
    s.gap_ratio = spectrum_settings.gap_ratio;
    s.groups = group_eigenvalues(s.eigenvalues, spectrum_settings);
    return s;
  }
  MatHandle H = hessian(point);
  return compute_spectrum(H, spectrum_settings);
}

const QuadraticLeastSquares* Problem::least_squares() const {
  return model.is_least_squares() ? static_cast<const QuadraticLeastSquares*>(objective.get()) : nullptr;
}

std::vector<double> read_parameters(const std::string& path, MPI_Comm comm, PetscInt expected_size) {
  H5File file = H5File::open(path, comm);
  const char* name = file.has("parameters") ? "parameters" : "solution";
  require(file.has(name), "'" + path + "' holds no /parameters (checkpoint) or /solution (history)");
  std::vector<double> values = file.read_array(name);
  require(static_cast<PetscInt>(values.size()) == expected_size,
          "'" + path + "' holds " + std::to_string(values.size()) + " parameters, the model has " +
              std::to_string(expected_size));
  for (double v : values) require(std::isfinite(v), "'" + path + "': non-finite parameters");
  return values;
}

}  // namespace msopt::apps
