#include "msopt/optim/optimizer.hpp"

#include <map>

#include "msopt/core/error.hpp"
#include "msopt/optim/first_order.hpp"
#include "msopt/optim/mrgd.hpp"

namespace msopt {

namespace {

std::map<std::string, OptimizerFactory>& registry() {
  static std::map<std::string, OptimizerFactory> factories = {
      {"gd", create_gd},           {"heavyball", create_heavyball}, {"nesterov", create_nesterov},
      {"mrgd", create_mrgd},       {"adam", create_adam}};
  return factories;
}

}  // namespace

void Optimizer::set_state(const std::vector<double>& state) {
  require(state.empty(), "the checkpoint holds optimizer state that " + type() + " does not use");
}

void register_optimizer(const std::string& name, OptimizerFactory factory) { registry()[name] = std::move(factory); }

std::vector<std::string> optimizer_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<Optimizer> create_optimizer(const std::string& name, Options& options, const ProblemInfo& problem) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : optimizer_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error("option -opt_type: unknown optimizer '" + name + "' (known: " + known + ")");
  }
  return it->second(options, problem);
}

}  // namespace msopt
