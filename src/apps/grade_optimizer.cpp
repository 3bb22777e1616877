#include "grade_optimizer.hpp"

#include <cstdio>

#include "msopt/linalg/operators.hpp"

namespace msopt::apps {

void GradeOptimizer::read(Options& o, const char* fallback, const char* help) {
  type_ = o.choice("-opt_type", fallback, optimizer_names(true), help);
  options_read_ = create_optimizer(type_);
  options_read_->set_from_options(o);
  if (!options_read_->needs_spectrum()) return;
  spectrum_ = SpectrumSettings::from_options(o);
  // Network Hessians have near-null directions that no rate should be fitted to.
  if (!o.given("-spec_floor")) spectrum_.floor = 1e-8;
  o.uses_solver("eps", "spec_");
}

std::string GradeOptimizer::method(Options& o) const {
  if (!options_read_->needs_spectrum()) {
    char text[120];
    std::snprintf(text, sizeof text, "%s, rate %.17g", type_.c_str(),
                  create_step_optimizer(type_, o, ProblemInfo{})->current_rate());
    return text;
  }
  return type_ + ", rates from each grade's Hessian spectrum at its start";
}

std::unique_ptr<StepOptimizer> GradeOptimizer::for_grade(Options& o, Objective& objective,
                                                         const std::vector<double>& start, double rtol) const {
  ProblemInfo info;
  info.dim = objective.dim();
  info.rtol = rtol;
  if (options_read_->needs_spectrum()) {
    MatHandle H = create_hessian_shell(objective, start);
    info.groups = compute_spectrum(H, spectrum_).groups;
    info.groups_at = [&objective, this](const std::vector<double>& point) {
      MatHandle at = create_hessian_shell(objective, point);
      return compute_spectrum(at, spectrum_).groups;
    };
  }
  return create_step_optimizer(type_, o, info);
}

}  // namespace msopt::apps
