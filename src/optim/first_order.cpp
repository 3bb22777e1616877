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

// A rate (and a momentum) given as options or, when absent, chosen by set-up from the spectrum.
class RateAndMomentum : public StepOptimizer {
 public:
  void set_from_options(Options& o) override {
    rate_given_ = o.given("-opt_lr");
    rate_ = o.real("-opt_lr", 0, "learning rate (default from the spectrum's extremes)");
    if (!o.help_requested() && rate_given_) require(rate_ > 0, "option -opt_lr: must be positive");
    if (!has_momentum()) return;
    momentum_given_ = o.given("-opt_momentum");
    momentum_ = o.real("-opt_momentum", 0, "momentum (default from the spectrum's extremes)");
    if (!o.help_requested() && momentum_given_)
      require(momentum_ >= 0 && momentum_ < 1, "option -opt_momentum: must be in [0, 1)");
  }
  bool needs_spectrum() const override { return !rate_given_ || (has_momentum() && !momentum_given_); }
  void set_up(const ProblemInfo& p) override {
    require(!needs_spectrum() || !p.groups.empty(),
            std::string("option ") + (has_momentum() ? "-opt_lr/-opt_momentum" : "-opt_lr") +
                " is needed: no spectrum is known to choose it from");
    dim_ = p.dim;
    reset();
    if (p.groups.empty()) return;
    double rate = 0, momentum = 0;
    defaults(p.sigma_max(), p.sigma_min(), rate, momentum);
    if (!rate_given_) rate_ = rate;
    if (!momentum_given_) momentum_ = momentum;
  }
  double current_rate() const override { return rate_; }
  void reset() override { previous_.clear(); }
  std::vector<double> state() const override { return previous_; }
  void set_state(const std::vector<double>& state) override {
    require(state.empty() || (has_momentum() && static_cast<PetscInt>(state.size()) == dim_),
            "the checkpoint's optimizer state does not match " + type());
    previous_ = state;
  }

 protected:
  virtual bool has_momentum() const { return true; }
  // The classical choice for a spectrum in [mu, L].
  virtual void defaults(double L, double mu, double& rate, double& momentum) const = 0;
  double rate_ = 0, momentum_ = 0;
  PetscInt dim_ = 0;
  std::vector<double> previous_;  // the previous point (momentum methods), empty before the first step

 private:
  bool rate_given_ = false, momentum_given_ = false;
};

class GradientDescent : public RateAndMomentum {
 public:
  std::string type() const override { return "gd"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    for (size_t k = 0; k < w.size(); ++k) w[k] -= rate_ * g[k];
  }
  std::string view() const override { return format_parameters("  gd: rate %.6e\n", rate_, 0); }

 private:
  bool has_momentum() const override { return false; }
  void defaults(double L, double mu, double& rate, double&) const override { rate = 2.0 / (L + mu); }
};

// w+ = w - a g + b (w - w_prev)  (Polyak 1964)
class HeavyBall : public RateAndMomentum {
 public:
  std::string type() const override { return "heavyball"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    if (previous_.empty()) previous_ = w;
    for (size_t k = 0; k < w.size(); ++k) {
      double next = w[k] - rate_ * g[k] + momentum_ * (w[k] - previous_[k]);
      previous_[k] = w[k];
      w[k] = next;
    }
  }
  std::string view() const override {
    return format_parameters("  heavyball: rate %.6e, momentum %.6f\n", rate_, momentum_);
  }

 private:
  void defaults(double L, double mu, double& rate, double& momentum) const override {
    const double l = std::sqrt(L), m = std::sqrt(mu);
    rate = 4.0 / ((l + m) * (l + m));
    momentum = ((l - m) / (l + m)) * ((l - m) / (l + m));
  }
};

// x+ = y - a g(y); y+ = x+ + b (x+ - x)  (Nesterov 1983); w holds y.
class Nesterov : public RateAndMomentum {
 public:
  std::string type() const override { return "nesterov"; }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    if (previous_.empty()) previous_ = w;
    for (size_t k = 0; k < w.size(); ++k) {
      double x = w[k] - rate_ * g[k];
      w[k] = x + momentum_ * (x - previous_[k]);
      previous_[k] = x;
    }
  }
  std::string view() const override {
    return format_parameters("  nesterov: rate %.6e, momentum %.6f\n", rate_, momentum_);
  }

 private:
  void defaults(double L, double mu, double& rate, double& momentum) const override {
    const double root_kappa = std::sqrt(L / mu);
    rate = 1.0 / L;
    momentum = (root_kappa - 1) / (root_kappa + 1);
  }
};

// m+ = b1 m + (1 - b1) g; v+ = b2 v + (1 - b2) g^2;
// w+ = w - a (m+ / (1 - b1^t)) / (sqrt(v+ / (1 - b2^t)) + eps)
class Adam : public StepOptimizer {
 public:
  std::string type() const override { return "adam"; }
  void set_from_options(Options& o) override {
    rate_ = o.real("-opt_lr", 1e-3, "learning rate");
    beta1_ = o.real("-adam_beta1", 0.9, "Adam's first-moment decay");
    beta2_ = o.real("-adam_beta2", 0.999, "Adam's second-moment decay");
    epsilon_ = o.positive_real("-adam_epsilon", 1e-8, "Adam's epsilon");
    if (o.help_requested()) return;
    require(rate_ > 0, "option -opt_lr: must be positive");
    require(beta1_ >= 0 && beta1_ < 1 && beta2_ >= 0 && beta2_ < 1, "options -adam_beta1/-adam_beta2: must be in [0, 1)");
  }
  void set_up(const ProblemInfo& p) override {
    dim_ = p.dim;
    reset();
  }
  void reset() override {
    t_ = 0;
    m_.assign(dim_, 0.0);
    v_.assign(dim_, 0.0);
  }
  void step(std::vector<double>& w, const std::vector<double>& g) override {
    ++t_;
    const double c1 = 1 - std::pow(beta1_, t_), c2 = 1 - std::pow(beta2_, t_);
    for (size_t k = 0; k < w.size(); ++k) {
      m_[k] = beta1_ * m_[k] + (1 - beta1_) * g[k];
      v_[k] = beta2_ * v_[k] + (1 - beta2_) * g[k] * g[k];
      w[k] -= rate_ * (m_[k] / c1) / (std::sqrt(v_[k] / c2) + epsilon_);
    }
  }
  double current_rate() const override { return rate_; }
  std::string view() const override {
    char line[200];
    std::snprintf(line, sizeof line, "  adam: rate %.6e, beta1 %.4f, beta2 %.6f, epsilon %.1e\n", rate_, beta1_, beta2_,
                  epsilon_);
    return line;
  }
  std::vector<double> state() const override {
    std::vector<double> s{static_cast<double>(t_)};
    s.insert(s.end(), m_.begin(), m_.end());
    s.insert(s.end(), v_.begin(), v_.end());
    return s;
  }
  void set_state(const std::vector<double>& s) override {
    require(static_cast<PetscInt>(s.size()) == 1 + 2 * dim_, "the checkpoint's optimizer state does not match adam");
    t_ = static_cast<long>(s[0]);
    m_.assign(s.begin() + 1, s.begin() + 1 + dim_);
    v_.assign(s.begin() + 1 + dim_, s.end());
  }

 private:
  PetscInt dim_ = 0;
  double rate_ = 0, beta1_ = 0, beta2_ = 0, epsilon_ = 0;
  long t_ = 0;
  std::vector<double> m_, v_;
};

}  // namespace

std::unique_ptr<Optimizer> create_gd() { return std::make_unique<GradientDescent>(); }
std::unique_ptr<Optimizer> create_heavyball() { return std::make_unique<HeavyBall>(); }
std::unique_ptr<Optimizer> create_nesterov() { return std::make_unique<Nesterov>(); }
std::unique_ptr<Optimizer> create_adam() { return std::make_unique<Adam>(); }

}  // namespace msopt
