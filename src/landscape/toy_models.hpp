// The toy landscape classes behind create_toy_landscape() (formulas at their
// evaluate() in toy_models_1d.cpp and toy_models_2d.cpp).
#pragma once
#include <vector>

#include "msopt/landscape/scalar_profiles.hpp"
#include "msopt/landscape/toy_landscape.hpp"

namespace msopt {

class F1Landscape : public ToyLandscape {
 public:
  int dim() const override { return 1; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;
  bool even_1d() const override { return true; }
};

class PopulationLandscape : public ToyLandscape {  // f2 = eq. (6.2)
 public:
  explicit PopulationLandscape(double C) : C_(C) {}
  int dim() const override { return 1; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;
  bool even_1d() const override { return true; }

 private:
  double C_;
};

class QuadraticLandscape : public ToyLandscape {
 public:
  explicit QuadraticLandscape(double curvature) : curvature_(curvature) {}
  int dim() const override { return 1; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;
  bool even_1d() const override { return true; }

 private:
  double curvature_;
};

class Relu3Landscape : public ToyLandscape {
 public:
  explicit Relu3Landscape(std::vector<double> inputs) : inputs_(std::move(inputs)) {}
  int dim() const override { return 1; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;

 private:
  std::vector<double> inputs_;
};

class F3Landscape : public ToyLandscape {
 public:
  explicit F3Landscape(double C) : C_(C) {}
  int dim() const override { return 2; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;

 private:
  double C_;
};

class ValleyLandscape : public ToyLandscape {
 public:
  int dim() const override { return 2; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;
};

class TwoValleyLandscape : public ToyLandscape {
 public:
  int dim() const override { return 2; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;
};

class Valleys2dLandscape : public ToyLandscape {
 public:
  explicit Valleys2dLandscape(double C) : C_(C) {}
  int dim() const override { return 2; }
  LandscapeJet evaluate(const std::vector<double>& x) const override;

 private:
  double C_;
};

}  // namespace msopt
