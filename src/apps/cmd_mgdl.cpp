// msopt mgdl: multi-grade deep learning (MGDL paper, Section 3), SGDL as a
// single deep grade, and MSDL (Section 7) with -mgdl_model msdl. Each grade
// is trained by an optimizer of the registry with the trainer; validation
// loss, early stopping and the eigenvalues of I - eta H (Section 6) come from
// a GradeMonitor; results and finished grades go to HDF5 + CSV. For targets
// on [0, 1] (images, 'msopt data image') the PSNR of eq. (34) of the summed
// model on the training, validation and -mgdl_test sets follows each grade.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/mgdl/grade_record.hpp"
#include "msopt/mgdl/grade_run.hpp"
#include "msopt/mgdl/initialisation.hpp"
#include "msopt/mgdl/msdl.hpp"
#include "msopt/mgdl/multi_grade.hpp"
#include "msopt/mgdl/psnr.hpp"

namespace msopt::apps {

namespace {

struct MgdlOptions {
  std::string data_path, validation_path, test_path, model, grades, msdl_widths, activation, init, type, out, restart;
  std::vector<double> msdl_scales{1, 2, 4, 8};
  std::uint64_t seed = 1;
  bool keep_last = false, predictions = false;
  GradeMonitorSettings monitor;
  TrainSettings train;

  void read(Options& o) {
    data_path = o.required_string("-data_file", "training data (HDF5 /X, /y), e.g. from 'msopt data synthetic'");
    validation_path = o.string("-mgdl_validation", "",
                               "validation data (HDF5): loss per iteration, early stopping, best-validation iterate");
    test_path = o.string("-mgdl_test", "",
                         "test data (HDF5): final loss and, for targets on [0, 1], the PSNR of eq. (34) per grade");
    model = o.choice("-mgdl_model", "mgdl", {"mgdl", "msdl"}, "multi-grade (Section 3) or multi-scale network (Section 7)");
    grades = o.string("-mgdl_grades", "1-32-1,32-32-1,32-32-1,32-32-1",
                      "widths of each grade, input-hidden...-1, comma-separated (Appendix D (30)); one grade is SGDL");
    msdl_widths = o.string("-msdl_widths", "1-8-8-8-8-1", "widths of each MSDL sub-network (Appendix D)");
    auto scales = o.real_list("-msdl_scales", "input scales a_s of the MSDL sub-networks (default 1,2,4,8)");
    if (!scales.empty()) msdl_scales = scales;
    activation = o.choice("-mgdl_activation", "relu", {"relu", "tanh", "sigmoid", "softplus"}, "hidden activation");
    init = o.choice("-mgdl_init", "torch", {"torch", "he", "glorot"},
                    "initialisation: torch (PyTorch's default, W, b ~ U(+-1/sqrt(n_in))), he or glorot (zero biases)");
    seed = static_cast<std::uint64_t>(o.nonnegative_integer("-mgdl_seed", 1, "initialisation seed (grade l: seed + l - 1)"));
    type = o.choice("-opt_type", "gd", optimizer_names(), "optimizer of every grade (gd as in the paper)");
    monitor.patience = o.nonnegative_integer("-mgdl_patience", 0,
                                             "stop a grade after this many iterations without a better validation loss");
    monitor.eig_every = o.nonnegative_integer("-mgdl_eig_every", 0,
                                              "eigenvalues of I - eta H every K iterations (Section 6; 0: never)");
    monitor.eig_nev = o.positive_integer("-mgdl_eig_nev", 10, "smallest and largest eigenvalues of I - eta H kept");
    keep_last = o.flag("-mgdl_keep_last", "freeze each grade's last iterate instead of its best-validation one");
    out = o.string("-mgdl_out", "", "result HDF5 (a CSV of the losses and one of the eigenvalues beside it)");
    predictions = o.flag("-mgdl_predictions", "store the final model's predictions on the training/validation/test points");
    restart = o.string("-restart", "", "the -checkpoint_file of an interrupted run: continue at its grade and iteration");
    train = TrainSettings::from_options(o);
    if (!o.help_requested())
      for (double a : msdl_scales) require(std::isfinite(a) && a > 0, "option -msdl_scales: every scale must be positive");
  }
};

std::string checkpoint_stem(const std::string& base) {
  std::filesystem::path p(base);
  return (p.parent_path() / p.stem()).string();
}

// Everything on every rank, in global row order.
std::vector<double> gather(MPI_Comm comm, const std::vector<double>& local) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  int mine = static_cast<int>(local.size());
  std::vector<int> counts(size), offsets(size);
  MSOPT_MPI(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm));
  for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(static_cast<size_t>(offsets.back() + counts.back()));
  MSOPT_MPI(MPI_Allgatherv(local.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, comm));
  return all;
}

// 0.5 mean (f - y)^2 of local predictions f (collective).
double loss_of(const Dataset& data, const std::vector<double>& f) {
  double sum = 0, total = 0;
  for (PetscInt i = 0; i < data.rows.count; ++i) sum += 0.5 * (f[i] - data.y[i]) * (f[i] - data.y[i]);
  MSOPT_MPI(MPI_Allreduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, data.comm));
  return total / static_cast<double>(data.n_global);
}

void print_grade(MPI_Comm comm, size_t l, size_t count, const std::string& widths, PetscInt dim, const GradeRecord& g) {
  const double first = g.train_loss.empty() ? NAN : g.train_loss.front(), last = g.train_loss.empty() ? NAN : g.train_loss.back();
  PetscPrintf(comm, "mgdl: grade %zu/%zu [%s], %d parameters: %zu iterations, train loss %.6e -> %.6e", l + 1, count,
              widths.c_str(), static_cast<int>(dim), g.train_loss.size(), first, last);
  if (!g.validation_loss.empty())
    PetscPrintf(comm, ", validation loss %.6e (best %.6e at %d)", g.validation_loss.back(),
                g.best_evaluation > 0 ? g.validation_loss[static_cast<size_t>(g.best_evaluation) - 1] : NAN,
                static_cast<int>(g.best_evaluation));
  PetscPrintf(comm, "\n      %s\n", g.reason.c_str());
}

// Whether every target lies in [0, 1] (intensities: the PSNR applies). Collective.
bool targets_in_unit_interval(const Dataset& data) {
  int ok = 1, all = 0;
  for (PetscInt i = 0; i < data.rows.count; ++i) ok = ok && data.y[i] >= 0 && data.y[i] <= 1;
  MSOPT_MPI(MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, data.comm));
  return all != 0;
}

}  // namespace

int run_mgdl(MPI_Comm comm) {
  Options o(comm, "mgdl",
            "multi-grade deep learning (MGDL paper Section 3): grade l fits the residual on the frozen features of "
            "grades 1..l-1; SGDL is one deep grade, -mgdl_model msdl the multi-scale network (Section 7)");
  MgdlOptions m;
  m.read(o);
  o.declare([&] { create_optimizer(m.type, o, ProblemInfo{}); });
  if (m.monitor.eig_every > 0) o.uses_solver("eps", "spec_");
  if (o.finish()) return 0;
  const bool msdl = m.model == "msdl";
  const std::vector<GradeWidths> grades = parse_grades(msdl ? m.msdl_widths : m.grades,
                                                       msdl ? "-msdl_widths" : "-mgdl_grades");
  require(!msdl || grades.size() == 1, "option -msdl_widths: one sub-network structure (e.g. 1-8-8-8-8-1)");
  // Option mistakes (-opt_lr) before any work; the rate names the run.
  const double rate = create_optimizer(m.type, o, ProblemInfo{})->current_rate();
  require(!m.validation_path.empty() || m.monitor.patience == 0,
          "option -mgdl_patience: early stopping needs -mgdl_validation");
  for (const auto& widths : grades)
    require(m.monitor.eig_every == 0 || 2 * m.monitor.eig_nev <= grade_parameter_count(widths),
            "option -mgdl_eig_nev: 2 x " + std::to_string(m.monitor.eig_nev) + " eigenvalues, but grade " +
                grades_text({widths}) + " has only " + std::to_string(grade_parameter_count(widths)) + " parameters");

  const bool checkpointing = m.train.checkpoint_every > 0 || !m.restart.empty();
  const std::string stem = checkpoint_stem(m.restart.empty() ? m.train.checkpoint_path : m.restart);
  const std::string grades_file = stem + ".grades.h5";
  RunFiles files(comm);
  files.input("-data_file", m.data_path);
  files.input("-mgdl_validation", m.validation_path);
  files.input("-mgdl_test", m.test_path);
  files.output("-mgdl_out", m.out, m.out.empty() ? "" : path_stem(m.out) + ".csv");
  if (!m.out.empty()) files.sibling("-mgdl_out", path_stem(m.out) + "_eig.csv");
  if (checkpointing) files.checkpoints(m.restart.empty() ? "-checkpoint_file" : "-restart", stem + ".h5");
  files.check();

  Dataset train = read_dataset(m.data_path, comm), validation, test_data;
  if (!m.validation_path.empty()) validation = read_dataset(m.validation_path, comm);
  if (!m.test_path.empty()) test_data = read_dataset(m.test_path, comm);
  const Dataset* val = m.validation_path.empty() ? nullptr : &validation;
  const Dataset* test = m.test_path.empty() ? nullptr : &test_data;
  check_grade_input(grades, train.dim, msdl ? "-msdl_widths" : "-mgdl_grades");
  if (val) require(val->dim == train.dim, "'" + m.validation_path + "' has dimension " + std::to_string(val->dim) +
                                              ", the training data " + std::to_string(train.dim));
  if (test) require(test->dim == train.dim, "option -mgdl_test: '" + m.test_path + "' has dimension " +
                                                std::to_string(test->dim) + ", the training data " +
                                                std::to_string(train.dim));
  // Eq. (34) on [0, 1] intensities: PSNR = -10 log10(MSE) of the summed model.
  const bool report_psnr = targets_in_unit_interval(train);
  const Activation activation = parse_activation(m.activation);

  GradeRecords records;
  std::string scales;
  char text[400];
  for (double a : m.msdl_scales) {
    std::snprintf(text, sizeof text, "%s%g", scales.empty() ? "" : ",", a);
    scales += text;
  }
  std::snprintf(text, sizeof text, "%s %s%s%s, %s, %s init, seed %llu", m.model.c_str(), grades_text(grades).c_str(),
                msdl ? " scales " : "", msdl ? scales.c_str() : "", m.activation.c_str(), m.init.c_str(),
                static_cast<unsigned long long>(m.seed));
  records.model = text;
  std::snprintf(text, sizeof text, "%s, rate %.17g", m.type.c_str(), rate);
  records.method = text;

  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  PetscPrintf(comm, "mgdl: %s; %s; N = %d training, %d validation points, %d ranks\n", records.model.c_str(),
              records.method.c_str(), static_cast<int>(train.n_global), val ? static_cast<int>(val->n_global) : 0, ranks);

  std::unique_ptr<MultiGrade> multi;
  std::unique_ptr<Msdl> network;
  if (msdl)
    network = std::make_unique<Msdl>(train, grades[0], m.msdl_scales, activation);
  else
    multi = std::make_unique<MultiGrade>(train, val, grades, activation);
  const size_t count = msdl ? 1 : grades.size();

  // The model of the finished grades on `data` (local rows).
  auto predict = [&](const Dataset& data) {
    std::vector<double> f(data.rows.count);
    if (data.rows.count) {
      if (msdl)
        network->predict(records.grades.back().parameters.data(), data.X.data(), data.rows.count, f.data());
      else
        multi->predict(data.X.data(), data.rows.count, f.data());
    }
    return f;
  };
  // TrPSNR, VaPSNR, TePSNR (NaN without the set) of the model after each grade.
  std::vector<double> grade_psnr[3];
  auto add_grade_psnr = [&]() {
    if (!report_psnr) return;
    const Dataset* sets[3] = {&train, val, test};
    double value[3];
    for (int s = 0; s < 3; ++s) {
      value[s] = NAN;
      if (!sets[s]) continue;
      const std::vector<double> f = predict(*sets[s]);
      value[s] = psnr(comm, sets[s]->y.data(), f.data(), sets[s]->rows.count);
      grade_psnr[s].push_back(value[s]);
    }
    PetscPrintf(comm, "mgdl: grade %zu PSNR (eq. 34): train %.4f dB, validation %.4f dB, test %.4f dB\n",
                records.grades.size(), value[0], value[1], value[2]);
  };

  if (!m.restart.empty()) {
    GradeRecords done;
    try {
      done = read_grade_records(grades_file, comm, m.monitor.eig_nev);
    } catch (const Error& e) {
      throw Error("option -restart: no MGDL checkpoint for '" + m.restart + "' (written with -checkpoint_every): " +
                  e.what());
    }
    require(done.model == records.model, "restart file '" + grades_file + "' was written for '" + done.model +
                                             "', not '" + records.model + "'");
    require(done.method == records.method, "restart file '" + grades_file + "' was written with " + done.method +
                                               ", not " + records.method);
    require(done.grades.size() <= count, "restart file '" + grades_file + "' holds too many grades");
    for (auto& g : done.grades) {
      const PetscInt expected = msdl ? network->dim() : multi->current().dim();
      require(static_cast<PetscInt>(g.parameters.size()) == expected,
              "restart file '" + grades_file + "': grade parameters of the wrong length");
      if (!msdl) multi->finish_grade(g.parameters);
      records.grades.push_back(std::move(g));
      if (!records.grades.back().diverged) add_grade_psnr();
    }
    PetscPrintf(comm, "mgdl: resuming after %zu finished grade(s) of %s\n", records.grades.size(), grades_file.c_str());
  } else if (checkpointing) {
    write_grade_records(grades_file, comm, records);
  }

  bool diverged = false;
  for (size_t l = records.grades.size(); l < count && !diverged; ++l) {
    Objective& objective = msdl ? static_cast<Objective&>(*network) : multi->current();
    std::vector<double> start = msdl ? network->initial_parameters(m.seed, m.init)
                                     : network_initial_parameters(multi->current(), m.seed + l, m.init);
    GradeMonitor::Evaluate validation_loss;
    if (val && msdl)
      validation_loss = [&](const std::vector<double>& w) {
        std::vector<double> f(val->rows.count);
        if (val->rows.count) network->predict(w.data(), val->X.data(), val->rows.count, f.data());
        return loss_of(*val, f);
      };
    else if (val)
      validation_loss = [&](const std::vector<double>& w) { return multi->validation_loss(w); };
    ProblemInfo info;
    info.dim = objective.dim();
    auto optimizer = create_optimizer(m.type, o, info);
    GradeRunSettings run;
    run.train = m.train;
    run.train.checkpoint_path = stem + ".grade" + std::to_string(l + 1) + ".h5";
    run.monitor = m.monitor;
    run.keep_best = !m.keep_last;
    run.resume = !m.restart.empty() && l == records.grades.size();
    run.fingerprint = records.model + ", grade " + std::to_string(l + 1) + ", " + records.method;
    run.settings = trajectory_settings(o.values(), records.method);
    run.overrides = m.train.restart_overrides;
    GradeRecord record = run_grade(objective, std::move(start), validation_loss, *optimizer, run);
    print_grade(comm, l, count, grades_text({grades[msdl ? 0 : l]}), objective.dim(), record);
    diverged = record.diverged;
    if (!msdl && !diverged) multi->finish_grade(record.parameters);
    records.grades.push_back(std::move(record));
    if (!diverged) add_grade_psnr();
    if (checkpointing && !diverged) write_grade_records(grades_file, comm, records);
  }

  // The final model on the training, validation and test points.
  std::vector<std::pair<std::string, std::vector<double>>> arrays;
  auto evaluate = [&](const Dataset& data, const char* name) {
    const std::vector<double> f = predict(data);
    const double loss = loss_of(data, f);
    arrays.push_back({std::string("final_") + name + "_loss", {loss}});
    if (report_psnr)
      arrays.push_back({std::string("final_") + name + "_psnr", {psnr(comm, data.y.data(), f.data(), data.rows.count)}});
    if (m.predictions) {
      arrays.push_back({std::string("x_") + name, gather(comm, data.X)});
      arrays.push_back({std::string("y_") + name, gather(comm, data.y)});
      arrays.push_back({std::string("prediction_") + name, gather(comm, f)});
    }
    return loss;
  };
  if (!diverged) {
    const double train_loss = evaluate(train, "train");
    const double validation_loss = val ? evaluate(*val, "validation") : NAN;
    const double test_loss = test ? evaluate(*test, "test") : NAN;
    auto shown = [](double loss, const char* name) {
      char text[64] = "";
      if (std::isfinite(loss)) std::snprintf(text, sizeof text, ", %s loss %.6e", name, loss);
      return std::string(text);
    };
    PetscPrintf(comm, "mgdl: final model: train loss %.6e%s%s\n", train_loss,
                shown(validation_loss, "validation").c_str(), shown(test_loss, "test").c_str());
    const char* names[3] = {"grade_train_psnr", "grade_validation_psnr", "grade_test_psnr"};
    for (int s = 0; s < 3; ++s)
      if (!grade_psnr[s].empty()) arrays.push_back({names[s], grade_psnr[s]});
  }
  if (!m.out.empty()) {
    write_grade_records(m.out, comm, records, arrays);
    PetscPrintf(comm, "mgdl: wrote %s\n", m.out.c_str());
  }
  return grade_run_status(comm, records);
}

}  // namespace msopt::apps
