// The 1-D landscapes: f1 and f2 of Fig. 4.1, the quadratic they are
// compared with, and the 3-neuron ReLU model of Sec. 6.
#include "toy_models.hpp"

namespace msopt {

namespace {
LandscapeJet jet(const Profile& p) { return {p.value, {p.d1}, {p.d2}}; }
}  // namespace

LandscapeJet F1Landscape::evaluate(const std::vector<double>& x) const { return jet(f1_profile(x[0])); }

LandscapeJet PopulationLandscape::evaluate(const std::vector<double>& x) const {
  return jet(population_profile(x[0], C_));
}

LandscapeJet QuadraticLandscape::evaluate(const std::vector<double>& x) const {
  return {0.5 * curvature_ * x[0] * x[0], {curvature_ * x[0]}, {curvature_}};
}

LandscapeJet Relu3Landscape::evaluate(const std::vector<double>& x) const {
  return jet(relu3_loss_profile(x[0], inputs_));
}

}  // namespace msopt
