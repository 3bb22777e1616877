#include "msopt/train/checkpoint.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"

namespace msopt {

void write_checkpoint(const std::string& path, MPI_Comm comm, const Checkpoint& c) {
  H5File file = H5File::create_atomic(path, comm);
  file.write_array("parameters", c.parameters);
  file.write_array("optimizer_state", c.optimizer_state);
  file.write_array("history_evaluations", c.history.evaluations);
  file.write_array("history_residual", c.history.residual);
  file.write_array("history_loss", c.history.loss);
  file.write_attribute("iteration", std::vector<double>{static_cast<double>(c.iteration)});
  file.write_attribute("problem", std::vector<double>{c.fingerprint.n_samples, c.fingerprint.dim,
                                                      c.fingerprint.reference_norm});
  file.write_attribute("method", c.fingerprint.method);
  file.commit();
}

Checkpoint read_checkpoint(const std::string& path, MPI_Comm comm, const ProblemFingerprint& expected) {
  H5File file = H5File::open(path, comm);
  for (const char* name : {"parameters", "optimizer_state", "history_evaluations", "history_residual", "history_loss"})
    require(file.has(name), "'" + path + "' is not an msopt checkpoint (no /" + name + ")");
  require(file.has_attribute("iteration") && file.has_attribute("problem") && file.has_attribute("method"),
          "'" + path + "' is not an msopt checkpoint (attributes missing)");
  Checkpoint c;
  auto problem = file.read_number_attribute("problem");
  require(problem.size() == 3, "'" + path + "': malformed problem attribute");
  c.fingerprint = {problem[0], problem[1], problem[2], file.read_text_attribute("method")};
  require(c.fingerprint.n_samples == expected.n_samples && c.fingerprint.dim == expected.dim &&
              std::fabs(c.fingerprint.reference_norm - expected.reference_norm) <=
                  1e-12 * std::fabs(expected.reference_norm),
          "restart file '" + path + "' belongs to another problem (N=" + std::to_string(problem[0]) +
              ", d=" + std::to_string(problem[1]) + ", ||b||=" + std::to_string(problem[2]) + ")");
  require(c.fingerprint.method == expected.method, "restart file '" + path + "' was written by -opt_type " +
                                                       c.fingerprint.method + ", not " + expected.method);
  c.iteration = static_cast<PetscInt>(file.read_number_attribute("iteration").at(0));
  c.parameters = file.read_array("parameters");
  c.optimizer_state = file.read_array("optimizer_state");
  c.history.evaluations = file.read_array("history_evaluations");
  c.history.residual = file.read_array("history_residual");
  c.history.loss = file.read_array("history_loss");
  require(static_cast<double>(c.parameters.size()) == expected.dim, "'" + path + "': parameter vector has wrong length");
  bool finite = true;
  for (double v : c.parameters) finite = finite && std::isfinite(v);
  require(finite, "'" + path + "': non-finite parameters in the checkpoint");
  require(c.history.size() == static_cast<size_t>(c.iteration) && c.history.evaluations.size() == c.history.size() &&
              c.history.loss.size() == c.history.size(),
          "'" + path + "': history length does not match the iteration");
  return c;
}

}  // namespace msopt
