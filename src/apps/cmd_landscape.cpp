// msopt landscape: GD (eq. 4.1) with learning-rate decay on a toy landscape
// of the landscape paper (f1, f2, f3 of Fig. 4.1, the flattening valley of
// Fig. 4.2, the two-valley landscape of Fig. 5.1, the 3-neuron ReLU model and
// the 2-D valleys of Sec. 6), the trajectory (iterate, loss, sharpness, rate)
// to HDF5 with a CSV beside, the orbit it settles into, and the loss on a grid.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/landscape/gd_trajectory.hpp"
#include "msopt/landscape/paper_runs.hpp"
#include "msopt/landscape/periodic_orbit.hpp"
#include "msopt/landscape/quasistatic_valley.hpp"

namespace msopt::apps {

namespace {

std::vector<double> grid(double lo, double hi, int n) {
  std::vector<double> g(n);
  for (int k = 0; k < n; ++k) g[k] = n == 1 ? lo : lo + (hi - lo) * k / (n - 1);
  return g;
}

void write_grid(H5File& file, const ToyLandscape& f, const std::vector<double>& box, int points) {
  const std::vector<double> gx = grid(box[0], box[1], points);
  std::vector<double> values;
  if (f.dim() == 1) {
    for (double x : gx) values.push_back(f.evaluate({x}).value);
  } else {
    const std::vector<double> gy = grid(box[2], box[3], points);
    for (double y : gy)
      for (double x : gx) values.push_back(f.evaluate({x, y}).value);  // row k: x2 = gy[k]
    file.write_array("grid_x2", gy);
  }
  file.write_array("grid_x1", gx);
  file.write_array("grid_loss", values);
}

// One header for every model (x2 empty for 1-D ones), so a file name can be reused across models.
const char kCsvHeader[] = "step,lr,loss,sharpness,step_sharpness,x1,x2";

std::string csv_text(const GdTrajectory& tr) {
  std::ostringstream text;
  text.precision(17);
  text << kCsvHeader << '\n';
  for (int t = 0; t <= tr.steps(); ++t) {
    text << t << ',' << tr.lr[t] << ',' << tr.loss[t] << ',' << tr.sharpness[t] << ',';
    if (t < static_cast<int>(tr.step_sharpness.size())) text << tr.step_sharpness[t];
    for (int k = 0; k < tr.dim; ++k) text << ',' << tr.iterates[t * tr.dim + k];
    text << (tr.dim == 1 ? ",\n" : "\n");
  }
  return text.str();
}

// The schedule as the options give it, completed from the paper's run of the model where they leave it open.
void complete_schedule(LrSchedule& schedule, const std::vector<PetscInt>& milestones, const PaperRun& paper,
                       PetscInt steps) {
  const bool paper_rates = schedule.rates.empty();
  if (paper_rates) schedule.rates = paper.rates;
  if (paper_rates && milestones.empty())
    schedule.milestones = paper.milestones;
  else
    schedule.milestones.assign(milestones.begin(), milestones.end());
  const bool drops = schedule.kind == "paper" || schedule.kind == "step";
  require(drops || milestones.empty(), "option -landscape_lr_steps: only the step and paper schedules drop at steps");
  if (paper_rates && schedule.kind != "paper") schedule.rates.resize(1);
  if (!drops) schedule.milestones.clear();
  schedule.total_steps = static_cast<int>(steps);
  schedule.validate();
}

// What the run found, as attributes of its HDF5 file.
void write_summary(H5File& file, const std::string& model, const std::string& schedule, int dim,
                   const OrbitSummary& orbit, double predicted, double at_minimum, bool diverged) {
  file.write_attribute("model", model);
  file.write_attribute("schedule", schedule);
  file.write_attribute("dim", std::vector<double>{static_cast<double>(dim)});
  file.write_attribute("period", std::vector<double>{static_cast<double>(orbit.period)});
  file.write_attribute("amplitude", std::vector<double>{orbit.amplitude});
  file.write_attribute("predicted_amplitude", std::vector<double>{predicted});
  file.write_attribute("sharpness_at_minimum", std::vector<double>{at_minimum});
  file.write_attribute("diverged", std::vector<double>{diverged ? 1.0 : 0.0});
}

}  // namespace

int run_landscape(MPI_Comm comm) {
  Options o(comm, "landscape", "GD with learning-rate decay on a toy landscape of the landscape paper");
  ToyLandscapeSpec spec;
  spec.name = o.choice("-landscape_model", "f1", toy_landscape_names(),
                       "f1 f2 f3 (Fig. 4.1), valley (Fig. 4.2), two_valley (Fig. 5.1), relu3 valleys2d (Sec. 6), "
                       "quadratic (the contrast)");
  spec.C = o.real("-landscape_C", 3, "f2, f3, valleys2d: the data's support [0, C] in eq. (6.2)");
  spec.curvature = o.real("-landscape_curvature", 1, "quadratic: f(x) = curvature x^2 / 2");
  spec.inputs = o.real_list("-landscape_inputs", "relu3: the data x_i (default 1,10,100)");
  if (spec.inputs.empty()) spec.inputs = {1, 10, 100};
  const PaperRun paper = paper_run(spec.name);
  std::vector<double> x0 = o.real_list("-landscape_x0", "start (default: the paper's for the model)");
  LrSchedule schedule;
  schedule.kind = o.choice("-landscape_schedule", "paper", lr_schedule_kinds(),
                           "rate decay: constant, step, cosine, linear, paper (-landscape_lr stages)");
  schedule.rates = o.real_list("-landscape_lr", "rate, or the paper schedule's rates (default: the paper's)");
  std::vector<PetscInt> milestones = o.integer_list("-landscape_lr_steps", "steps where step/paper drop the rate");
  schedule.gamma = o.positive_real("-landscape_lr_gamma", 0.1, "step: factor per milestone");
  schedule.final_rate = o.real("-landscape_lr_final", 0, "cosine, linear: the rate at the last step");
  PetscInt steps = o.positive_integer("-landscape_steps", paper.steps, "GD steps (default: the paper's)");
  PetscInt tail = o.positive_integer("-landscape_tail", 40, "last iterates checked for a periodic orbit");
  double orbit_tol = o.positive_real("-landscape_orbit_tol", 1e-8, "|x_t - x_{t-p}| bound of a period p");
  PetscInt points = o.nonnegative_integer("-landscape_grid_points", 201, "loss grid per axis (0: none)");
  std::vector<double> box = o.real_list("-landscape_box", "grid x1min,x1max[,x2min,x2max] (default: the figure's)");
  auto out = o.required_string("-landscape_out", "HDF5 file for the trajectory (a CSV is written beside)");
  if (o.finish()) return 0;

  complete_schedule(schedule, milestones, paper, steps);
  auto f = create_toy_landscape(spec);
  if (x0.empty()) x0 = paper.x0;
  require(static_cast<int>(x0.size()) == f->dim(),
          "option -landscape_x0: model " + spec.name + " has " + std::to_string(f->dim()) + " parameter(s)");
  if (box.empty()) box = paper.box;
  require(static_cast<int>(box.size()) == 2 * f->dim() && box[0] < box[1] && (f->dim() == 1 || box[2] < box[3]),
          "option -landscape_box: needs increasing ranges, one per parameter");
  require(steps <= 10000000, "option -landscape_steps: at most 1e7");
  require(points <= 2001, "option -landscape_grid_points: at most 2001");
  RunFiles files(comm);
  const std::string csv = path_stem(out) + ".csv";
  files.output("-landscape_out", out, csv, kCsvHeader);
  files.check();

  const GdTrajectory tr = run_gd(*f, x0, schedule, static_cast<int>(steps));
  const OrbitSummary orbit = detect_orbit(tr, static_cast<int>(tail), orbit_tol);
  const double final_rate = tr.lr.back();
  const double at_minimum = largest_eigenvalue(f->evaluate(std::vector<double>(f->dim(), 0.0)).hessian, f->dim());
  const double predicted = f->even_1d() ? two_periodic_point(*f, final_rate) : std::nan("");
  PetscPrintf(comm,
              "landscape: %s, %d steps, rate %g -> %g (%s): loss %.6e -> %.6e, sharpness %.6e at the end, "
              "%.6e at the minimum (2/eta = %.6e)%s\n",
              spec.name.c_str(), tr.steps(), tr.lr.front(), final_rate, schedule.kind.c_str(), tr.loss.front(),
              tr.loss.back(), tr.sharpness.back(), at_minimum, 2 / final_rate, tr.diverged ? ", DIVERGED" : "");
  PetscPrintf(comm, "landscape: period %d over the last %d iterates, amplitude %.10g", orbit.period,
              static_cast<int>(tail), orbit.amplitude);
  if (f->even_1d()) PetscPrintf(comm, ", predicted 2-periodic point x_eta %.10g (Lemma 4.1)", predicted);
  PetscPrintf(comm, "\n");

  H5File file = H5File::create_atomic(out, comm);
  file.write_array("iterates", tr.iterates);
  file.write_array("loss", tr.loss);
  file.write_array("sharpness", tr.sharpness);
  file.write_array("step_sharpness", tr.step_sharpness);
  file.write_array("lr", tr.lr);
  if (spec.name == "valley") {
    const QuasistaticPath q = quasistatic_valley(kValleyFlattening, schedule.rates[0], x0[0], tr.steps());
    file.write_array("quasistatic_x1", q.x);
    file.write_array("quasistatic_x2", q.y);
  }
  if (points > 0) write_grid(file, *f, box, static_cast<int>(points));
  write_summary(file, spec.name, schedule.kind, f->dim(), orbit, predicted, at_minimum, tr.diverged);
  file.commit();
  write_text_file(csv, comm, csv_text(tr));
  PetscPrintf(comm, "landscape: wrote %s and %s\n", out.c_str(), csv.c_str());
  return 0;
}

}  // namespace msopt::apps
