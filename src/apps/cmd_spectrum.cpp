#include "commands.hpp"
#include "cross_delta.hpp"
#include "msopt/models/mlp.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/linalg/hessian_tools.hpp"
#include "msopt/optim/multirate_schedule.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt::apps {

namespace {

// "a:b" -> the indices a, ..., b-1.
std::vector<PetscInt> parse_range(const std::string& text, PetscInt dim) {
  auto colon = text.find(':');
  require(colon != std::string::npos, "option -spec_range: expected a:b, got '" + text + "'");
  long a = std::strtol(text.substr(0, colon).c_str(), nullptr, 10), b = std::strtol(text.substr(colon + 1).c_str(), nullptr, 10);
  require(0 <= a && a < b && b <= dim, "option -spec_range: " + text + " is not within [0, " + std::to_string(dim) + "]");
  std::vector<PetscInt> indices;
  for (long k = a; k < b; ++k) indices.push_back(static_cast<PetscInt>(k));
  return indices;
}

// -spec_layer l: every parameter of layer l; -spec_neuron l,j: the incoming
// weights of neuron j of layer l (the blocks of Proposition 2.5). MLPs only.
std::vector<PetscInt> mlp_block(const Objective& model, PetscInt layer, const std::vector<PetscInt>& neuron) {
  const auto* mlp = dynamic_cast<const Mlp*>(&model);
  require(mlp != nullptr, "options -spec_layer/-spec_neuron: the model is not an MLP (-model mlp)");
  if (!neuron.empty()) {
    require(neuron.size() == 2, "option -spec_neuron: expected l,j (layer, neuron)");
    layer = neuron[0];
  }
  require(layer >= 0 && layer < mlp->num_layers(), "options -spec_layer/-spec_neuron: layer " + std::to_string(layer) +
                                                       " of a network with " + std::to_string(mlp->num_layers()) +
                                                       " layers (0-based)");
  PetscInt begin = mlp->layer_offset(layer), end = begin + mlp->layer_size(layer);
  if (!neuron.empty()) {
    const PetscInt j = neuron[1], fan_in = mlp->widths()[layer];
    require(j >= 0 && j < mlp->widths()[layer + 1], "option -spec_neuron: layer " + std::to_string(layer) + " has " +
                                                        std::to_string(mlp->widths()[layer + 1]) + " neurons");
    begin += j * fan_in;
    end = begin + fan_in;
  }
  std::vector<PetscInt> indices;
  for (PetscInt k = begin; k < end; ++k) indices.push_back(k);
  return indices;
}

// The MrGD schedule Theorem 3.4 gives these groups (informative only: a spectrum without a usable schedule is
// still written). The groups are the same on every rank, so every rank takes the same branch.
void print_mrgd_schedule(MPI_Comm comm, const std::vector<ScaleGroup>& groups) {
  if (groups.size() < 2) {
    PetscPrintf(comm, "spectrum: one scale group only: MrGD has nothing to separate\n");
    return;
  }
  try {
    double eta = 0;
    const double rtol = ProblemInfo{}.rtol;  // train's default -opt_tol
    auto schedule = select_schedule(groups, &eta, StepOrder::automatic, rtol);
    PetscPrintf(comm, "spectrum: MrGD rates eta_i = 1/(eta sigma_i) with eta = %.2f and Theorem 3.4 counts:\n%s", eta,
                schedule.describe().c_str());
  } catch (const Error& e) {
    PetscPrintf(comm, "spectrum: no MrGD schedule for these groups: %s\n", e.what());
  }
}

// -spec_trace_probes, -spec_density_probes, -spec_density_steps, -spec_seed.
struct Estimates {
  PetscInt trace_probes = 0, density_probes = 0, density_steps = 80, seed = 1;
};

// Hutchinson's trace and the SLQ density of H[S, S] at `point`, printed and kept in `spectrum`.
void add_trace_and_density(MPI_Comm comm, Objective& objective, const std::vector<double>& point,
                           const std::vector<PetscInt>& indices, const Estimates& e, Spectrum& spectrum) {
  if (e.trace_probes > 0) {
    auto t = hutchinson_trace(objective, point, indices, static_cast<int>(e.trace_probes), e.seed);
    PetscPrintf(comm, "spectrum: Hutchinson trace %.6e +- %.2e (%d probes)\n", t.trace, t.standard_error,
                static_cast<int>(e.trace_probes));
    spectrum.trace = {t.trace, t.standard_error};
  }
  if (e.density_probes > 0) {
    auto density = lanczos_density(objective, point, indices, static_cast<int>(e.density_probes),
                                   static_cast<int>(e.density_steps), e.seed);
    PetscPrintf(comm, "spectrum: SLQ density with %zu nodes (%d probes x %d Lanczos steps)\n", density.nodes.size(),
                static_cast<int>(e.density_probes), static_cast<int>(e.density_steps));
    spectrum.density_nodes = density.nodes;
    spectrum.density_weights = density.weights;
  }
}

}  // namespace

int run_spectrum(MPI_Comm comm) {
  Options o(comm, "spectrum",
            "SLEPc eigenvalues of the covariance X^T X / N or of a model's Hessian, scale groups, MrGD rates, "
            "Hessian trace and density");
  Problem problem;
  problem.read_options(o);
  auto out = o.string("-spec_out", "", "HDF5 file for the spectrum and groups (optional)");
  auto point_file = o.string("-spec_point", "", "Hessian at these parameters (checkpoint or history file)");
  auto range = o.string("-spec_range", "", "restrict the Hessian to parameters a:b (a layer, a neuron's weights)");
  PetscInt layer = o.integer("-spec_layer", -1, "restrict the Hessian to layer l of an MLP (0-based, W and b)");
  auto neuron = o.integer_list("-spec_neuron", "restrict the Hessian to neuron j's incoming weights in layer l: l,j");
  Estimates estimates;
  estimates.trace_probes = o.nonnegative_integer("-spec_trace_probes", 0, "Hutchinson trace with this many probes");
  estimates.density_probes = o.nonnegative_integer("-spec_density_probes", 0, "SLQ density with this many probes");
  estimates.density_steps = o.positive_integer("-spec_density_steps", 80, "Lanczos steps per SLQ probe");
  estimates.seed = o.nonnegative_integer("-spec_seed", 1, "seed of the trace and density probes");
  auto cross = o.string("-spec_cross_delta", "", "cross-spectrum delta of Theorem 3.11 at the point, Pi from the "
                        "Hessian at the parameters in this file (e.g. the minimiser's history)");
  o.uses_solver("eps", "spec_");
  if (o.finish()) return 0;
  RunFiles files(comm);
  problem.declare_files(files);
  files.input("-spec_point", point_file);
  files.input("-spec_cross_delta", cross);
  files.output("-spec_out", out);
  files.check();

  problem.load(comm);
  std::vector<double> point = point_file.empty() ? problem.start
                                                 : read_parameters(point_file, comm, problem.objective->dim());
  require(range.empty() + (layer < 0) + neuron.empty() >= 2, "options -spec_range, -spec_layer, -spec_neuron: give one");
  std::vector<PetscInt> indices;
  if (!range.empty()) indices = parse_range(range, problem.objective->dim());
  if (layer >= 0 || !neuron.empty()) indices = mlp_block(*problem.objective, layer, neuron);
  const bool covariance = problem.least_squares() != nullptr;
  double t0 = MPI_Wtime();
  require(indices.empty() || problem.hessian_kind == "full",
          "option -spec_hessian class_blocks: not together with -spec_range/-spec_layer/-spec_neuron");
  Spectrum spectrum;
  PetscInt n = problem.objective->dim();
  if (indices.empty()) {
    spectrum = problem.spectrum_at(point);
  } else {
    MatHandle A = create_restricted_hessian_shell(*problem.objective, point, indices);
    ScopedStage stage(log_registry().spectrum);
    spectrum = compute_spectrum(A, problem.spectrum_settings);
    n = static_cast<PetscInt>(indices.size());
  }
  const char* what = covariance ? "covariance" : problem.hessian_kind == "full" ? "Hessian" : "Hessian's class blocks";
  char unknown[160] = "";
  if (!spectrum.complete && problem.spectrum_settings.method == "largest")
    std::snprintf(unknown, sizeof unknown, " (the largest only: groups below may be missed)");
  else if (!spectrum.complete)
    std::snprintf(unknown, sizeof unknown, " (the %d largest and smallest, the %d between them unknown: one group "
                  "spans them)", static_cast<int>(problem.spectrum_settings.nev),
                  static_cast<int>(n - static_cast<PetscInt>(spectrum.eigenvalues.size())));
  PetscPrintf(comm, "spectrum: %zu eigenvalues of the %s (size %d) in %.2f s, from %.6e down to %.6e%s\n",
              spectrum.eigenvalues.size(), what, static_cast<int>(n),
              MPI_Wtime() - t0, spectrum.eigenvalues.front(), spectrum.eigenvalues.back(), unknown);
  PetscPrintf(comm, "spectrum: %zu scale groups at gaps of ratio >= %g\n%s", spectrum.groups.size(),
              spectrum.gap_ratio, format_group_table(spectrum.groups).c_str());
  print_mrgd_schedule(comm, spectrum.groups);
  if (indices.empty())
    for (PetscInt k = 0; k < problem.objective->dim(); ++k) indices.push_back(k);
  add_trace_and_density(comm, *problem.objective, point, indices, estimates, spectrum);
  if (!cross.empty()) report_cross_delta(comm, problem, point, cross);
  if (!out.empty()) {
    spectrum.fingerprint = problem.fingerprint(n);
    write_spectrum(out, comm, spectrum, problem.data_path);
    PetscPrintf(comm, "spectrum: wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace msopt::apps
