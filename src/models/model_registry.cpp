#include "msopt/models/model_registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "msopt/core/error.hpp"
#include "msopt/models/activation.hpp"
#include "msopt/models/logistic_regression.hpp"
#include "msopt/models/mlp.hpp"
#include "msopt/models/quadratic_least_squares.hpp"
#include "msopt/models/softmax_regression.hpp"

namespace msopt {

ModelSpec ModelSpec::from_options(Options& o) {
  ModelSpec s;
  s.kind = o.choice("-model", s.kind, {"least_squares", "softmax", "logistic", "mlp"}, "model and loss");
  s.classes = static_cast<int>(o.positive_integer("-model_classes", s.classes, "classes (softmax, mlp cross-entropy)"));
  s.l2 = o.real("-model_l2", s.l2, "L2 regularisation l2/2 ||W||^2 (softmax, logistic)");
  auto hidden = o.integer_list("-mlp_hidden", "hidden layer widths of the MLP (default 32)");
  if (!hidden.empty()) s.hidden = hidden;
  s.activation = o.choice("-mlp_activation", s.activation, activation_names(),
                          "hidden-layer activation");
  s.loss = o.choice("-mlp_loss", s.loss, {"cross_entropy", "least_squares"}, "MLP loss (eq. 7 or cross-entropy)");
  s.init = o.choice("-mlp_init", s.init, {"he", "glorot"}, "MLP initialisation");
  s.seed = static_cast<std::uint64_t>(o.nonnegative_integer("-model_seed", 1, "seed of the MLP initialisation"));
  if (o.help_requested()) return s;
  require(s.classes >= 2, "option -model_classes: at least 2");
  require(s.l2 >= 0, "option -model_l2: must not be negative");
  for (PetscInt w : s.hidden) require(w > 0, "option -mlp_hidden: every width must be positive");
  return s;
}

namespace {

// A network too large for PETSc's 32-bit indices or for this machine's
// memory is refused by name, before std::bad_alloc could strike some rank.
void require_mlp_fits(const std::vector<PetscInt>& widths, const Dataset& data) {
  double parameters = 0, units = 0;
  for (size_t l = 0; l + 1 < widths.size(); ++l) parameters += (static_cast<double>(widths[l]) + 1) * widths[l + 1];
  for (PetscInt w : widths) units += static_cast<double>(w);
  int ranks = 1;
  MPI_Comm_size(data.comm, &ranks);
  const double rows = std::ceil(static_cast<double>(data.n_global) / ranks);
  // Parameters, gradient, optimizer state and reduction buffers; activations and their derivatives per row.
  const double bytes = 8 * (8 * parameters + 4 * rows * units);
  const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  char text[240];
  std::snprintf(text, sizeof text, "option -mlp_hidden: the network has %.4g parameters", parameters);
  require(parameters < 2147483647.0, std::string(text) + ", more than PETSc's 32-bit indices can count");
  std::snprintf(text, sizeof text,
                "option -mlp_hidden: the network has %.4g parameters and needs about %.1f GiB per rank, more than "
                "this machine's %.1f GiB of memory",
                parameters, bytes / (1 << 30), memory / (1 << 30));
  require(memory <= 0 || bytes < memory, text);
}

}  // namespace

std::unique_ptr<Objective> create_model(const ModelSpec& s, const Dataset& data) {
  if (s.kind == "least_squares") return std::make_unique<QuadraticLeastSquares>(data);
  if (s.kind == "softmax") return std::make_unique<SoftmaxRegression>(data, s.classes, s.l2);
  if (s.kind == "logistic") return std::make_unique<LogisticRegression>(data, s.l2);
  std::vector<PetscInt> widths{data.dim};
  widths.insert(widths.end(), s.hidden.begin(), s.hidden.end());
  widths.push_back(s.loss == "cross_entropy" ? s.classes : 1);
  require_mlp_fits(widths, data);
  return std::make_unique<Mlp>(data, widths, std::vector<Activation>{parse_activation(s.activation)},
                               parse_mlp_loss(s.loss));
}

std::vector<double> initial_parameters(const ModelSpec& s, const Objective& model) {
  if (s.kind == "mlp") return static_cast<const Mlp&>(model).initial_parameters(s.seed, s.init);
  return std::vector<double>(model.dim(), 0.0);
}

}  // namespace msopt

namespace msopt {

namespace {

// Cross-entropy MLP: argmax of the logits of each local row against its label.
double mlp_accuracy(Mlp& mlp, const double* theta) {
  const Dataset& data = mlp.data();
  const PetscInt classes = mlp.widths().back();
  std::vector<double> logits(static_cast<size_t>(data.rows.count) * classes);
  if (data.rows.count > 0) mlp.predict(theta, data.X.data(), data.rows.count, logits.data());
  double correct = 0, total = 0;
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const double* z = logits.data() + static_cast<size_t>(i) * classes;
    if (static_cast<double>(std::max_element(z, z + classes) - z) == data.y[i]) correct += 1;
  }
  MSOPT_MPI(MPI_Allreduce(&correct, &total, 1, MPI_DOUBLE, MPI_SUM, data.comm));
  return total / static_cast<double>(data.n_global);
}

}  // namespace

double classification_accuracy(Objective& model, const std::vector<double>& theta) {
  require(static_cast<PetscInt>(theta.size()) == model.dim(), "accuracy: the parameters do not fit the model");
  if (auto* softmax = dynamic_cast<SoftmaxRegression*>(&model)) return softmax->accuracy(theta.data());
  if (auto* logistic = dynamic_cast<LogisticRegression*>(&model)) return logistic->accuracy(theta.data());
  if (auto* mlp = dynamic_cast<Mlp*>(&model))
    if (mlp->loss() == MlpLoss::cross_entropy) return mlp_accuracy(*mlp, theta.data());
  return std::nan("");
}

}  // namespace msopt
