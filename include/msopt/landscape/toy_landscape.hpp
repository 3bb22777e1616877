// The analytic and toy landscapes of the landscape paper (Secs. 4-6): small
// functions of one or two parameters with value, gradient and Hessian in
// closed form, on which the paper runs plain GD (eq. 4.1). Each model cites
// its formula; create_toy_landscape() picks one by name (-landscape_model).
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace msopt {

// Value, gradient and Hessian (row-major, dim x dim) at one point.
struct LandscapeJet {
  double value = 0;
  std::vector<double> gradient;
  std::vector<double> hessian;
};

class ToyLandscape {
 public:
  virtual ~ToyLandscape() = default;
  virtual int dim() const = 0;
  virtual LandscapeJet evaluate(const std::vector<double>& x) const = 0;
  // Even 1-D functions with their minimum at 0 (Sec. 4.1's setting): the
  // 2-periodic orbit {+-x_eta} of Lemma 4.1 exists for them.
  virtual bool even_1d() const { return false; }
};

// The parameters a model may take (ignored by the others).
struct ToyLandscapeSpec {
  std::string name;            // f1 | f2 | f3 | quadratic | valley | two_valley | relu3 | valleys2d
  double C = 3;                // f2, valleys2d: the support [0, C] of the data (eq. 6.2)
  double curvature = 1;        // quadratic: f(x) = curvature x^2 / 2
  std::vector<double> inputs;  // relu3: the data x_i > 0 (targets 0)
};

// The flattening valley of Fig. 4.2, f1(x2 / (1 + a x1)), has a = 0.01.
constexpr double kValleyFlattening = 0.01;

std::vector<std::string> toy_landscape_names();
// msopt::Error naming -landscape_model for an unknown name or bad parameters.
std::unique_ptr<ToyLandscape> create_toy_landscape(const ToyLandscapeSpec& spec);

// The largest eigenvalue of the Hessian (the paper's sharpness, Sec. 2.1);
// dim <= 2, in closed form.
double largest_eigenvalue(const std::vector<double>& hessian, int dim);

}  // namespace msopt
