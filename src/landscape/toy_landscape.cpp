#include "msopt/landscape/toy_landscape.hpp"

#include <cmath>

#include "msopt/core/error.hpp"
#include "toy_models.hpp"

namespace msopt {

std::vector<std::string> toy_landscape_names() {
  return {"f1", "f2", "f3", "quadratic", "valley", "two_valley", "relu3", "valleys2d"};
}

std::unique_ptr<ToyLandscape> create_toy_landscape(const ToyLandscapeSpec& spec) {
  const std::string& n = spec.name;
  if (n == "f2" || n == "f3" || n == "valleys2d") require(spec.C > 0, "option -landscape_C: must be positive");
  if (n == "f1") return std::make_unique<F1Landscape>();
  if (n == "f2") return std::make_unique<PopulationLandscape>(spec.C);
  if (n == "f3") return std::make_unique<F3Landscape>(spec.C);
  if (n == "valleys2d") return std::make_unique<Valleys2dLandscape>(spec.C);
  if (n == "valley") return std::make_unique<ValleyLandscape>();
  if (n == "two_valley") return std::make_unique<TwoValleyLandscape>();
  if (n == "quadratic") {
    require(spec.curvature > 0, "option -landscape_curvature: must be positive");
    return std::make_unique<QuadraticLandscape>(spec.curvature);
  }
  if (n == "relu3") {
    require(!spec.inputs.empty(), "option -landscape_inputs: relu3 needs its data x_i");
    for (double x : spec.inputs) require(x > 0, "option -landscape_inputs: the data x_i must be positive (Sec. 6)");
    return std::make_unique<Relu3Landscape>(spec.inputs);
  }
  throw Error("option -landscape_model: unknown model '" + n + "'");
}

double largest_eigenvalue(const std::vector<double>& H, int dim) {
  if (dim == 1) return H[0];
  require(dim == 2, "largest_eigenvalue: toy landscapes have one or two parameters");
  const double mean = 0.5 * (H[0] + H[3]), half = 0.5 * (H[0] - H[3]);
  return mean + std::hypot(half, H[1]);
}

}  // namespace msopt
