#include "msopt/optim/optimizer.hpp"

#include <map>

#include "msopt/core/error.hpp"
#include "msopt/optim/first_order.hpp"
#include "msopt/optim/ksp_baseline.hpp"
#include "msopt/optim/mrgd.hpp"
#include "msopt/optim/tao_baseline.hpp"

namespace msopt {

namespace {

std::map<std::string, OptimizerFactory>& registry() {
  static std::map<std::string, OptimizerFactory> factories = {
      {"gd", create_gd},     {"heavyball", create_heavyball},    {"nesterov", create_nesterov},
      {"mrgd", create_mrgd}, {"adam", create_adam},              {"cg", create_ksp_cg},
      {"ksp_chebyshev", create_ksp_chebyshev},                       {"lbfgs", create_lbfgs}};
  return factories;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

void StepOptimizer::set_state(const std::vector<double>& state) {
  require(state.empty(), "the checkpoint holds optimizer state that " + type() + " does not use");
}

void register_optimizer(const std::string& name, OptimizerFactory factory) { registry()[name] = std::move(factory); }

std::vector<std::string> optimizer_names(bool stepping_only) {
  std::vector<std::string> names;
  for (const auto& entry : registry())
    if (!stepping_only || entry.second()->steps()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<Optimizer> create_optimizer(const std::string& name) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    throw Error("option -opt_type: unknown optimizer '" + name + "' (known: " + joined(optimizer_names()) + ")");
  }
  return it->second();
}

std::unique_ptr<StepOptimizer> create_step_optimizer(const std::string& name, Options& options,
                                                     const ProblemInfo& problem) {
  std::unique_ptr<Optimizer> created = create_optimizer(name);
  require(created->steps(), "option -opt_type " + name + ": not a stepping method (one of: " +
                                joined(optimizer_names(true)) + ")");
  std::unique_ptr<StepOptimizer> optimizer(static_cast<StepOptimizer*>(created.release()));
  optimizer->set_from_options(options);
  if (!options.help_requested()) optimizer->set_up(problem);
  return optimizer;
}

}  // namespace msopt
