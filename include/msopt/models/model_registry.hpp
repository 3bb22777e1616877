// The models behind -model: least_squares (the MrGD paper's quadratic),
// softmax and logistic regression, and MLPs. Options are read before the data
// (so -help lists them); the model is built once the data are loaded.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

struct ModelSpec {
  std::string kind = "least_squares";  // least_squares | softmax | logistic | mlp
  int classes = 10;                    // softmax, mlp with cross_entropy
  double l2 = 0;                       // softmax, logistic
  std::vector<PetscInt> hidden{32};    // mlp hidden widths
  std::string activation = "relu";     // mlp
  std::string loss = "cross_entropy";  // mlp: cross_entropy | least_squares
  std::string init = "he";             // mlp: he | glorot
  std::uint64_t seed = 1;              // mlp initialisation

  static ModelSpec from_options(Options& options);
  bool is_least_squares() const { return kind == "least_squares"; }
};

// Collective. msopt::Error for data that do not fit the model (labels, widths).
std::unique_ptr<Objective> create_model(const ModelSpec& spec, const Dataset& data);

// The starting point: zeros for the linear models, the seeded initialisation for MLPs.
std::vector<double> initial_parameters(const ModelSpec& spec, const Objective& model);

// Collective: the fraction of samples whose predicted class (argmax of the
// outputs; sign for logistic) equals the label, for softmax, logistic and
// cross-entropy MLPs; NaN for regression models.
double classification_accuracy(Objective& model, const std::vector<double>& theta);

}  // namespace msopt
