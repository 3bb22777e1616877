#include "msopt/optim/first_order.hpp"

#include <cmath>
#include <cstdio>

#include "msopt/core/error.hpp"

namespace msopt {

namespace {

std::string format_parameters(const char* text, double a, double b) {
  char line[200];
  std::snprintf(line, sizeof line, text, a, b);
  return line;
}

void require_spectrum(const Options& o, const ProblemInfo& problem, const char* option) {
  require(o.help_requested() || !problem.groups.empty(),
          std::string("option ") + option + " is needed: no spectrum is known to choose it from");
}

class GradientDescent : public Optimizer {
 public:
  explicit GradientDescent(double rate) : rate_(rate) {}
  std::string type() const override { return "gd"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    for (size_t k = 0; k < w.size(); ++k) w[k] -= rate_ * g[k];
  }
  double current_rate() const override { return rate_; }
  std::string describe() const override { return format_parameters("  gd: rate %.6e%.0s\n", rate_, 0); }

 private:
  double rate_;
};

// Methods that keep the previous point: the state for restarts.
class WithPrevious : public Optimizer {
 public:
  std::vector<double> state() const override { return previous_; }
  void set_state(const std::vector<double>& state) override {
    require(state.empty() || static_cast<PetscInt>(state.size()) == dim_,
            "the checkpoint's optimizer state does not match " + type());
    previous_ = state;
  }

 protected:
  explicit WithPrevious(PetscInt dim) : dim_(dim) {}
  PetscInt dim_;
  std::vector<double> previous_;  // empty before the first step
};

// w+ = w - a g + b (w - w_prev)  (Polyak 1964)
class HeavyBall : public WithPrevious {
 public:
  HeavyBall(PetscInt dim, double rate, double momentum) : WithPrevious(dim), rate_(rate), momentum_(momentum) {}
  std::string type() const override { return "heavyball"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    if (previous_.empty()) previous_ = w;
    for (size_t k = 0; k < w.size(); ++k) {
      double next = w[k] - rate_ * g[k] + momentum_ * (w[k] - previous_[k]);
      previous_[k] = w[k];
      w[k] = next;
    }
  }
  double current_rate() const override { return rate_; }
  std::string describe() const override {
    return format_parameters("  heavyball: rate %.6e, momentum %.6f\n", rate_, momentum_);
  }

 private:
  double rate_, momentum_;
};

// x+ = y - a g(y); y+ = x+ + b (x+ - x)  (Nesterov 1983); w holds y.
class Nesterov : public WithPrevious {
 public:
  Nesterov(PetscInt dim, double rate, double momentum) : WithPrevious(dim), rate_(rate), momentum_(momentum) {}
  std::string type() const override { return "nesterov"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    if (previous_.empty()) previous_ = w;
    for (size_t k = 0; k < w.size(); ++k) {
      double x = w[k] - rate_ * g[k];
      w[k] = x + momentum_ * (x - previous_[k]);
      previous_[k] = x;
    }
  }
  double current_rate() const override { return rate_; }
  std::string describe() const override {
    return format_parameters("  nesterov: rate %.6e, momentum %.6f\n", rate_, momentum_);
  }

 private:
  double rate_, momentum_;
};

double read_rate(Options& o, double fallback) {
  double rate = o.real("-opt_lr", fallback, "learning rate (default from the spectrum's extremes)");
  if (!o.help_requested()) require(rate > 0, "option -opt_lr: must be positive");
  return rate;
}

double read_momentum(Options& o, double fallback) {
  double momentum = o.real("-opt_momentum", fallback, "momentum (default from the spectrum's extremes)");
  if (!o.help_requested()) require(momentum >= 0 && momentum < 1, "option -opt_momentum: must be in [0, 1)");
  return momentum;
}

}  // namespace

std::unique_ptr<Optimizer> create_gd(Options& o, const ProblemInfo& p) {
  if (!o.given("-opt_lr")) require_spectrum(o, p, "-opt_lr");
  double fallback = p.groups.empty() ? 0 : 2.0 / (p.sigma_max() + p.sigma_min());
  return std::make_unique<GradientDescent>(read_rate(o, fallback));
}

std::unique_ptr<Optimizer> create_heavyball(Options& o, const ProblemInfo& p) {
  if (!o.given("-opt_lr") || !o.given("-opt_momentum")) require_spectrum(o, p, "-opt_lr/-opt_momentum");
  double rate = 0, momentum = 0;
  if (!p.groups.empty()) {
    double L = std::sqrt(p.sigma_max()), mu = std::sqrt(p.sigma_min());
    rate = 4.0 / ((L + mu) * (L + mu));
    momentum = ((L - mu) / (L + mu)) * ((L - mu) / (L + mu));
  }
  rate = read_rate(o, rate);
  return std::make_unique<HeavyBall>(p.dim, rate, read_momentum(o, momentum));
}

std::unique_ptr<Optimizer> create_nesterov(Options& o, const ProblemInfo& p) {
  if (!o.given("-opt_lr") || !o.given("-opt_momentum")) require_spectrum(o, p, "-opt_lr/-opt_momentum");
  double rate = 0, momentum = 0;
  if (!p.groups.empty()) {
    double root_kappa = std::sqrt(p.sigma_max() / p.sigma_min());
    rate = 1.0 / p.sigma_max();
    momentum = (root_kappa - 1) / (root_kappa + 1);
  }
  rate = read_rate(o, rate);
  return std::make_unique<Nesterov>(p.dim, rate, read_momentum(o, momentum));
}

}  // namespace msopt
