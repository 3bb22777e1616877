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
  std::string describe() const override { return format_parameters("  gd: rate %.6e\n", rate_, 0); }

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

// m+ = b1 m + (1 - b1) g; v+ = b2 v + (1 - b2) g^2;
// w+ = w - a (m+ / (1 - b1^t)) / (sqrt(v+ / (1 - b2^t)) + eps)
class Adam : public Optimizer {
 public:
  Adam(PetscInt dim, double rate, double beta1, double beta2, double epsilon)
      : dim_(dim), rate_(rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon), m_(dim, 0.0), v_(dim, 0.0) {}
  std::string type() const override { return "adam"; }
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
  std::string describe() const override {
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
  PetscInt dim_;
  double rate_, beta1_, beta2_, epsilon_;
  long t_ = 0;
  std::vector<double> m_, v_;
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

std::unique_ptr<Optimizer> create_adam(Options& o, const ProblemInfo& p) {
  double rate = read_rate(o, 1e-3);
  double beta1 = o.real("-adam_beta1", 0.9, "Adam's first-moment decay"),
         beta2 = o.real("-adam_beta2", 0.999, "Adam's second-moment decay"),
         epsilon = o.positive_real("-adam_epsilon", 1e-8, "Adam's epsilon");
  if (!o.help_requested())
    require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "options -adam_beta1/-adam_beta2: must be in [0, 1)");
  return std::make_unique<Adam>(p.dim, rate, beta1, beta2, epsilon);
}

}  // namespace msopt
