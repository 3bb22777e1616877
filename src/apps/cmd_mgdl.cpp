// msopt mgdl: multi-grade deep learning (MGDL paper, Section 3), SGDL as a
// single deep grade, and MSDL (Section 7) with -mgdl_model msdl. Each grade
// is trained by an optimizer of the registry with the trainer; validation
// loss, early stopping and the eigenvalues of I - eta H (Section 6) come from
// a GradeMonitor; results and finished grades go to HDF5 + CSV. For targets
// on [0, 1] (images, 'msopt data image') the PSNR of eq. (34) of the summed
// model on the training, validation and -mgdl_test sets follows each grade.
#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "grade_optimizer.hpp"
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
  std::string data_path, validation_path, test_path, model, msdl_widths, out;
  std::vector<double> msdl_scales{1, 2, 4, 8};
  GradeNetworkSettings network;
  bool keep_last = false, predictions = false;
  GradeMonitorSettings monitor;
  TrainSettings train;
  GradeOptimizer optimizer;

  void read(Options& o) {
    data_path = o.required_string("-data_file", "training data (HDF5 /X, /y), e.g. from 'msopt data synthetic'");
    validation_path = o.string("-mgdl_validation", "",
                               "validation data (HDF5): loss per iteration, early stopping, best-validation iterate");
    test_path = o.string("-mgdl_test", "",
                         "test data (HDF5): final loss and, for targets on [0, 1], the PSNR of eq. (34) per grade");
    model = o.choice("-mgdl_model", "mgdl", {"mgdl", "msdl"}, "multi-grade (Section 3) or multi-scale network (Section 7)");
    network = GradeNetworkSettings::from_options(
        o, "1-32-1,32-32-1,32-32-1,32-32-1",
        "widths of each grade, input-hidden...-1, comma-separated (Appendix D (30)); one grade is SGDL");
    msdl_widths = o.string("-msdl_widths", "1-8-8-8-8-1", "widths of each MSDL sub-network (Appendix D)");
    auto scales = o.real_list("-msdl_scales", "input scales a_s of the MSDL sub-networks (default 1,2,4,8)");
    if (!scales.empty()) msdl_scales = scales;
    optimizer.read(o, "gd", "optimizer of every grade (gd as in the paper)");
    monitor = GradeMonitorSettings::from_options(o);
    monitor.patience = o.nonnegative_integer("-mgdl_patience", 0,
                                             "stop a grade after this many iterations without a better validation loss");
    keep_last = o.flag("-mgdl_keep_last", "freeze each grade's last iterate instead of its best-validation one");
    out = o.string("-mgdl_out", "", "result HDF5 (a CSV of the losses and one of the eigenvalues beside it)");
    predictions = o.flag("-mgdl_predictions", "store the final model's predictions on the training/validation/test points");
    train = TrainSettings::from_options(o);
    if (!o.help_requested())
      for (double a : msdl_scales) require(std::isfinite(a) && a > 0, "option -msdl_scales: every scale must be positive");
  }
};

// Everything on every rank, in global row order (a dataset's X or targets, predictions).
template <class Allocator>
std::vector<double> gather(MPI_Comm comm, const std::vector<double, Allocator>& local) {
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

// One `msopt mgdl` run: its data, its model (grades or MSDL) and the record of its grades.
class MgdlRun {
 public:
  MgdlRun(MPI_Comm comm, Options& o, MgdlOptions& m) : comm_(comm), o_(o), m_(m), msdl_(m.model == "msdl") {}

  // Option combinations no data can make valid, then the files, before any work.
  void check() {
    grades_ = parse_grades(msdl_ ? m_.msdl_widths : m_.network.grades, msdl_ ? "-msdl_widths" : "-mgdl_grades");
    require(!msdl_ || grades_.size() == 1, "option -msdl_widths: one sub-network structure (e.g. 1-8-8-8-8-1)");
    // Option mistakes (-opt_lr) before any work; the rate names the run.
    records_.method = m_.optimizer.method(o_);
    require(!m_.validation_path.empty() || m_.monitor.patience == 0,
            "option -mgdl_patience: early stopping needs -mgdl_validation");
    m_.monitor.check_eigenvalue_count(grades_);
    const std::string& restart = m_.train.restart;
    checkpointing_ = m_.train.checkpoint_every > 0 || !restart.empty();
    stem_ = path_stem(restart.empty() ? m_.train.checkpoint_path : restart);
    RunFiles files(comm_);
    files.input("-data_file", m_.data_path);
    files.input("-mgdl_validation", m_.validation_path);
    files.input("-mgdl_test", m_.test_path);
    files.output("-mgdl_out", m_.out, m_.out.empty() ? "" : path_stem(m_.out) + ".csv");
    if (!m_.out.empty()) files.sibling("-mgdl_out", path_stem(m_.out) + "_eig.csv");
    if (checkpointing_) files.checkpoints(restart.empty() ? "-checkpoint_file" : "-restart", stem_ + ".h5");
    files.check();
  }

  // Collective: the datasets and the model; prints what the run is.
  void load() {
    train_ = read_dataset(m_.data_path, comm_);
    if (!m_.validation_path.empty()) validation_ = read_dataset(m_.validation_path, comm_);
    if (!m_.test_path.empty()) test_ = read_dataset(m_.test_path, comm_);
    check_grade_input(grades_, train_.dim, msdl_ ? "-msdl_widths" : "-mgdl_grades");
    if (validation()) require(validation_.dim == train_.dim, "'" + m_.validation_path + "' has dimension " +
                                                                  std::to_string(validation_.dim) + ", the training data " +
                                                                  std::to_string(train_.dim));
    if (test()) require(test_.dim == train_.dim, "option -mgdl_test: '" + m_.test_path + "' has dimension " +
                                                     std::to_string(test_.dim) + ", the training data " +
                                                     std::to_string(train_.dim));
    // Eq. (34) on [0, 1] intensities: PSNR = -10 log10(MSE) of the summed model.
    report_psnr_ = targets_in_unit_interval(train_);
    const Activation activation = parse_activation(m_.network.activation);
    if (msdl_)
      network_ = std::make_unique<Msdl>(train_, grades_[0], m_.msdl_scales, activation);
    else
      multi_ = std::make_unique<MultiGrade>(train_, validation(), grades_, activation);
    records_.model = model_text();
    int ranks = 1;
    MPI_Comm_size(comm_, &ranks);
    PetscPrintf(comm_, "mgdl: %s; %s; N = %d training, %d validation points, %d ranks\n", records_.model.c_str(),
                records_.method.c_str(), static_cast<int>(train_.n_global),
                validation() ? static_cast<int>(validation_.n_global) : 0, ranks);
  }

  // Collective: the finished grades of the run -restart names (or a fresh record).
  void resume() {
    const std::string grades_file = stem_ + ".grades.h5";
    if (m_.train.restart.empty()) {
      if (checkpointing_) write_grade_records(grades_file, comm_, records_);
      return;
    }
    GradeRecords done;
    try {
      done = read_grade_records(grades_file, comm_, m_.monitor.eig_nev);
    } catch (const Error& e) {
      throw Error("option -restart: no MGDL checkpoint for '" + m_.train.restart +
                  "' (written with -checkpoint_every): " + e.what());
    }
    require(done.model == records_.model, "restart file '" + grades_file + "' was written for '" + done.model +
                                              "', not '" + records_.model + "'");
    require(done.method == records_.method, "restart file '" + grades_file + "' was written with " + done.method +
                                                ", not " + records_.method);
    require(done.grades.size() <= grade_count(), "restart file '" + grades_file + "' holds too many grades");
    for (auto& g : done.grades) {
      require(static_cast<PetscInt>(g.parameters.size()) == current_objective().dim(),
              "restart file '" + grades_file + "': grade parameters of the wrong length");
      if (!msdl_) multi_->finish_grade(g.parameters);
      records_.grades.push_back(std::move(g));
      if (!records_.grades.back().diverged) add_grade_psnr();
    }
    PetscPrintf(comm_, "mgdl: resuming after %zu finished grade(s) of %s\n", records_.grades.size(),
                grades_file.c_str());
  }

  // Collective: trains the remaining grades, each frozen before the next; stops at a diverged one.
  void train_grades() {
    for (size_t l = records_.grades.size(); l < grade_count() && !diverged_; ++l) {
      Objective& objective = current_objective();
      std::vector<double> start =
          msdl_ ? network_->initial_parameters(m_.network.seed, m_.network.init)
                : network_initial_parameters(multi_->current(), m_.network.seed + l, m_.network.init);
      auto optimizer = m_.optimizer.for_grade(o_, objective, start, m_.train.rtol);
      if (!o_.quiet()) PetscPrintf(comm_, "%s", optimizer->view().c_str());
      GradeRecord record = run_grade(objective, std::move(start), validation_loss(), *optimizer, grade_settings(l));
      print_grade(comm_, l, grade_count(), grades_text({grades_[msdl_ ? 0 : l]}), objective.dim(), record);
      diverged_ = record.diverged;
      if (!msdl_ && !diverged_) multi_->finish_grade(record.parameters);
      records_.grades.push_back(std::move(record));
      if (diverged_) break;
      add_grade_psnr();
      if (checkpointing_) write_grade_records(stem_ + ".grades.h5", comm_, records_);
    }
  }

  // Collective: the final model's losses (and PSNR, predictions) into -mgdl_out; the exit status.
  int finish() {
    std::vector<std::pair<std::string, std::vector<double>>> arrays;
    if (!diverged_) arrays = final_model();
    if (!m_.out.empty()) {
      write_grade_records(m_.out, comm_, records_, arrays);
      PetscPrintf(comm_, "mgdl: wrote %s\n", m_.out.c_str());
    }
    return grade_run_status(comm_, records_);
  }

 private:
  const Dataset* validation() const { return m_.validation_path.empty() ? nullptr : &validation_; }
  const Dataset* test() const { return m_.test_path.empty() ? nullptr : &test_; }
  size_t grade_count() const { return msdl_ ? 1 : grades_.size(); }
  Objective& current_objective() { return msdl_ ? static_cast<Objective&>(*network_) : multi_->current(); }

  std::string model_text() const {
    std::string scales;
    char text[400];
    for (double a : m_.msdl_scales) {
      std::snprintf(text, sizeof text, "%s%g", scales.empty() ? "" : ",", a);
      scales += text;
    }
    std::snprintf(text, sizeof text, "%s %s%s%s, %s, %s init, seed %llu", m_.model.c_str(),
                  grades_text(grades_).c_str(), msdl_ ? " scales " : "", msdl_ ? scales.c_str() : "",
                  m_.network.activation.c_str(), m_.network.init.c_str(),
                  static_cast<unsigned long long>(m_.network.seed));
    return text;
  }

  GradeRunSettings grade_settings(size_t l) const {
    GradeRunSettings run;
    run.train = m_.train;
    run.train.checkpoint_path = stem_ + ".grade" + std::to_string(l + 1) + ".h5";
    run.monitor = m_.monitor;
    run.keep_best = !m_.keep_last;
    run.resume = !m_.train.restart.empty() && l == records_.grades.size();
    run.fingerprint = records_.model + ", grade " + std::to_string(l + 1) + ", " + records_.method;
    run.settings = trajectory_settings(o_.values(), records_.method);
    run.overrides = m_.train.restart_overrides;
    return run;
  }

  GradeMonitor::Evaluate validation_loss() {
    if (!validation()) return {};
    if (!msdl_) return [this](const std::vector<double>& w) { return multi_->validation_loss(w); };
    return [this](const std::vector<double>& w) {
      std::vector<double> f(validation_.rows.count);
      if (validation_.rows.count) network_->predict(w.data(), validation_.X.data(), validation_.rows.count, f.data());
      return loss_of(validation_, f);
    };
  }

  // The model of the finished grades on `data` (local rows).
  std::vector<double> predict(const Dataset& data) {
    std::vector<double> f(data.rows.count);
    if (!data.rows.count) return f;
    if (msdl_)
      network_->predict(records_.grades.back().parameters.data(), data.X.data(), data.rows.count, f.data());
    else
      multi_->predict(data.X.data(), data.rows.count, f.data());
    return f;
  }

  // TrPSNR, VaPSNR, TePSNR (NaN without the set) of the model after each grade.
  void add_grade_psnr() {
    if (!report_psnr_) return;
    const Dataset* sets[3] = {&train_, validation(), test()};
    double value[3];
    for (int s = 0; s < 3; ++s) {
      value[s] = NAN;
      if (!sets[s]) continue;
      const std::vector<double> f = predict(*sets[s]);
      value[s] = psnr(comm_, sets[s]->y.data(), f.data(), sets[s]->rows.count);
      grade_psnr_[s].push_back(value[s]);
    }
    PetscPrintf(comm_, "mgdl: grade %zu PSNR (eq. 34): train %.4f dB, validation %.4f dB, test %.4f dB\n",
                records_.grades.size(), value[0], value[1], value[2]);
  }

  // The final model on the training, validation and test points, as named arrays.
  std::vector<std::pair<std::string, std::vector<double>>> final_model() {
    std::vector<std::pair<std::string, std::vector<double>>> arrays;
    auto evaluate = [&](const Dataset* data, const char* name) -> double {
      if (!data) return NAN;
      const std::vector<double> f = predict(*data);
      const double loss = loss_of(*data, f);
      arrays.push_back({std::string("final_") + name + "_loss", {loss}});
      if (report_psnr_)
        arrays.push_back({std::string("final_") + name + "_psnr", {psnr(comm_, data->y.data(), f.data(), data->rows.count)}});
      if (m_.predictions) {
        arrays.push_back({std::string("x_") + name, gather(comm_, data->X)});
        arrays.push_back({std::string("y_") + name, gather(comm_, data->y)});
        arrays.push_back({std::string("prediction_") + name, gather(comm_, f)});
      }
      return loss;
    };
    const double train_loss = evaluate(&train_, "train");
    const double validation_loss = evaluate(validation(), "validation");
    const double test_loss = evaluate(test(), "test");
    auto shown = [](double loss, const char* name) {
      char text[64] = "";
      if (std::isfinite(loss)) std::snprintf(text, sizeof text, ", %s loss %.6e", name, loss);
      return std::string(text);
    };
    PetscPrintf(comm_, "mgdl: final model: train loss %.6e%s%s\n", train_loss,
                shown(validation_loss, "validation").c_str(), shown(test_loss, "test").c_str());
    const char* names[3] = {"grade_train_psnr", "grade_validation_psnr", "grade_test_psnr"};
    for (int s = 0; s < 3; ++s)
      if (!grade_psnr_[s].empty()) arrays.push_back({names[s], grade_psnr_[s]});
    return arrays;
  }

  MPI_Comm comm_;
  Options& o_;
  MgdlOptions& m_;
  const bool msdl_;
  std::vector<GradeWidths> grades_;
  bool checkpointing_ = false, report_psnr_ = false, diverged_ = false;
  std::string stem_;
  Dataset train_, validation_, test_;
  std::unique_ptr<MultiGrade> multi_;
  std::unique_ptr<Msdl> network_;
  GradeRecords records_;
  std::vector<double> grade_psnr_[3];
};

}  // namespace

int run_mgdl(MPI_Comm comm) {
  Options o(comm, "mgdl",
            "multi-grade deep learning (MGDL paper Section 3): grade l fits the residual on the frozen features of "
            "grades 1..l-1; SGDL is one deep grade, -mgdl_model msdl the multi-scale network (Section 7)");
  MgdlOptions m;
  m.read(o);
  if (o.finish()) return 0;
  MgdlRun run(comm, o, m);
  run.check();
  run.load();
  run.resume();
  run.train_grades();
  return run.finish();
}

}  // namespace msopt::apps
