// msopt evaluate: the loss, gradient norm and accuracy of a model at given
// parameters (-model_start) on a dataset (e.g. the test set), and optionally the gradient
// itself (the MrGD paper's Fig. 1 reads rows of the first layer's gradient).
#include <cmath>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/vector_norm.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/models/model_registry.hpp"

namespace msopt::apps {

int run_evaluate(MPI_Comm comm) {
  Options o(comm, "evaluate", "loss, gradient and accuracy of a model at given parameters on a dataset");
  Problem problem;
  problem.read_options(o);
  auto gradient_out = o.string("-eval_gradient_out", "", "HDF5 file for the full gradient (and the parameters)");
  if (o.finish()) return 0;
  RunFiles files(comm);
  problem.declare_files(files);
  files.output("-eval_gradient_out", gradient_out);
  files.check();

  problem.load(comm);
  Objective& model = *problem.objective;
  const std::vector<double>& w = problem.start;  // -model_start, or the initial parameters
  std::vector<double> gradient(w.size());
  const double loss = model.value_and_gradient(w.data(), gradient.data());
  const double accuracy = classification_accuracy(model, w);
  PetscPrintf(comm, "evaluate: %s on %s (N = %d): loss %.10e, gradient norm %.6e", problem.model.kind.c_str(),
              problem.data_path.c_str(), static_cast<int>(problem.data.n_global), loss, euclidean_norm(gradient));
  if (std::isfinite(accuracy)) PetscPrintf(comm, ", accuracy %.4f", accuracy);
  PetscPrintf(comm, "\n");
  if (!gradient_out.empty()) {
    H5File file = H5File::create_atomic(gradient_out, comm);
    file.write_array("gradient", gradient);
    file.write_array("parameters", w);
    file.write_attribute("loss", std::vector<double>{loss});
    file.write_attribute("accuracy", std::vector<double>{accuracy});
    file.write_attribute("source", problem.data_path);
    file.commit();
    PetscPrintf(comm, "evaluate: wrote %s\n", gradient_out.c_str());
  }
  return 0;
}

}  // namespace msopt::apps
