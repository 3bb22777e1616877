// msopt restore: image denoising and deblurring by MGDL and SGDL (MGDL paper,
// Section 4 and Appendix C). The observed image f_hat = A f + eps (A = I or
// the Gaussian blur, eps ~ N(0, sigma^2) on the 0-255 scale) is fitted by a
// network of the pixel coordinates through the TV loss (22)/(24), solved by
// the proximity-gradient algorithm (20)-(21) with Adam. SGDL is one deep
// grade; MGDL grade l >= 2 trains g = eps_l N_l(features of the frozen
// grades) + g_{l-1}, eps_l = RMS(f_hat - A g_{l-1}) unless -tv_eps gives it.
// -mgdl_eig_every K records the eigenvalues of I - eta H in Theta at the
// current u (Section 6, Figs 21-24) every K evaluations.
// The clean image is used only for the PSNR (eq. (34)) reported over training.
#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "grade_optimizer.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/replicated_vec.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/data/importers.hpp"
#include "msopt/mgdl/blur_operator.hpp"
#include "msopt/mgdl/image_noise.hpp"
#include "msopt/mgdl/initialisation.hpp"
#include "msopt/mgdl/multi_grade.hpp"
#include "msopt/mgdl/psnr.hpp"
#include "msopt/mgdl/tv_difference.hpp"
#include "msopt/mgdl/tv_grade.hpp"

namespace msopt::apps {

namespace {

// Appendix D (33): grade 1 [2] -> [128] x 3 -> [1], grades 2-4 add [128] x 3 on the frozen features.
const char kAppendixDGrades[] = "2-128-128-128-1,128-128-128-128-1,128-128-128-128-1,128-128-128-128-1";

struct RestoreOptions {
  std::string png, task, out;
  PetscInt downsample = 1, psnr_every = 1;
  double noise = 0, blur = 0;
  std::uint64_t noise_seed = 1;
  GradeNetworkSettings network;
  std::vector<double> eps;
  TvParameters tv;
  TrainSettings train;
  GradeOptimizer optimizer;
  GradeMonitorSettings eigenvalues;

  void read(Options& o) {
    png = o.required_string("-data_png", "the clean image (PNG, converted to 8-bit gray if it is not)");
    downsample = o.positive_integer("-data_downsample", 1, "average k x k pixel blocks of the image first");
    task = o.choice("-restore_task", "denoise", {"denoise", "deblur"},
                    "f_hat = f + eps (denoise) or K f + eps with the Gaussian blur K (deblur)");
    noise = o.real("-restore_noise", -1,
                   "noise sigma on the 0-255 scale (paper: 10..60 for denoise, 3 for deblur; default 10 / 3)");
    blur = o.real("-restore_blur", -1, "blur sigma-hat in pixels, an integer (paper: 3, 5, 7; default 3; deblur only)");
    noise_seed = static_cast<std::uint64_t>(o.nonnegative_integer("-restore_seed", 1, "seed of the noise"));
    tv.lambda = o.real("-tv_lambda", 0.02, "lambda of the TV term, eqs. (22)/(24) (intensities on [0, 1])");
    tv.beta = o.real("-tv_beta", 10, "beta of the coupling beta/2 ||u - B g||^2");
    tv.alpha = o.real("-tv_alpha", 0.99, "alpha of the u update, eq. (20)");
    eps = o.real_list("-tv_eps", "eps_l of grades 2, 3, ... (default: RMS of f_hat - A g_{l-1})");
    network = GradeNetworkSettings::from_options(
        o, kAppendixDGrades, "widths of each grade, input-hidden...-1 (default (33); one grade, e.g. (29), is SGDL)");
    optimizer.read(o, "adam", "optimizer of every grade (Adam in the paper; gd for the eigenvalues of Figs 21-24)");
    eigenvalues = GradeMonitorSettings::from_options(o);
    psnr_every = o.positive_integer("-restore_psnr_every", 1, "PSNR against the clean image every K evaluations");
    out = o.string("-restore_out", "", "result HDF5 (images, losses, PSNR; CSVs beside it)");
    train = TrainSettings::from_options(o);
    if (o.help_requested()) return;
    const bool deblur = task == "deblur";
    if (noise < 0 && !o.given("-restore_noise")) noise = deblur ? 3 : 10;
    require(deblur || !o.given("-restore_blur"), "option -restore_blur: only for -restore_task deblur");
    if (blur < 0 && !o.given("-restore_blur")) blur = deblur ? 3 : 0;
    try {
      check_noise_sigma(noise);
    } catch (const Error& e) {
      throw Error(std::string("option -restore_noise: ") + e.what());
    }
    if (deblur) try {
        check_blur_sigma(blur);
      } catch (const Error& e) {
        throw Error(std::string("option -restore_blur: ") + e.what());
      }
    const char* names[3] = {"-tv_lambda", "-tv_beta", "-tv_alpha"};
    for (int k = 0; k < 3; ++k) try {
        TvParameters p;
        p.lambda = k == 0 ? tv.lambda : 0;
        p.beta = k == 1 ? tv.beta : 1;
        p.alpha = k == 2 ? tv.alpha : 1;
        p.check();
      } catch (const Error& e) {
        throw Error(std::string("option ") + names[k] + ": " + e.what());
      }
    for (double e : eps) require(std::isfinite(e) && e > 0, "option -tv_eps: every eps_l must be positive");
  }
};

std::string grade_key(size_t l, const char* name) { return "grade" + std::to_string(l + 1) + "_" + name; }

// One `msopt restore` run: the clean and observed image, the grades and their record.
class RestoreRun {
 public:
  RestoreRun(MPI_Comm comm, Options& o, RestoreOptions& r) : comm_(comm), o_(o), r_(r), deblur_(r.task == "deblur") {}

  // Option combinations no image can make valid, then the files, before any work.
  void check() {
    grades_ = parse_grades(r_.network.grades, "-mgdl_grades");
    check_grade_input(grades_, 2, "-mgdl_grades");
    require(r_.eps.empty() || r_.eps.size() == grades_.size() - 1,
            "option -tv_eps: " + std::to_string(r_.eps.size()) + " values for " + std::to_string(grades_.size() - 1) +
                " grades after the first");
    method_ = r_.optimizer.method(o_);
    r_.eigenvalues.check_eigenvalue_count(grades_);
    const std::string& restart = r_.train.restart;
    checkpointing_ = r_.train.checkpoint_every > 0 || !restart.empty();
    stem_ = path_stem(restart.empty() ? r_.train.checkpoint_path : restart);
    RunFiles files(comm_);
    files.input("-data_png", r_.png);
    files.output("-restore_out", r_.out, r_.out.empty() ? "" : path_stem(r_.out) + ".csv");
    if (!r_.out.empty()) {
      files.sibling("-restore_out", path_stem(r_.out) + "_psnr.csv");
      files.sibling("-restore_out", path_stem(r_.out) + "_eig.csv");
    }
    if (checkpointing_) files.checkpoints(restart.empty() ? "-checkpoint_file" : "-restart", stem_ + ".h5");
    files.check();
  }

  // Collective: the clean image (all pixels), what is observed of it, the operators; prints what the run is.
  void observe() {
    pixels_ = import_image_regression(r_.png, static_cast<int>(r_.downsample), comm_, ImageSplit::test);
    grid_ = image_grid_of(pixels_);
    if (deblur_) A_ = create_blur_operator(comm_, grid_, static_cast<PetscInt>(r_.blur));
    B_ = create_difference_operator(comm_, grid_);
    clean_ = pixel_vec_from_targets(pixels_);
    f_hat_ = observe_image(pixels_, A_.get(), r_.noise, r_.noise_seed);
    // The networks see the coordinates and (unused targets) the observation, never the clean image.
    const std::vector<double> observed = gather_replicated(f_hat_);
    for (PetscInt i = 0; i < pixels_.rows.count; ++i) pixels_.y[i] = observed[pixels_.rows.begin + i];
    observed_psnr_ = psnr(clean_, f_hat_);
    describe();
    int ranks = 1;
    MPI_Comm_size(comm_, &ranks);
    PetscPrintf(comm_, "restore: %s; %s; observed PSNR %.4f dB, %d ranks\n", records_.model.c_str(),
                records_.method.c_str(), observed_psnr_, ranks);
  }

  // Collective: the finished grades and PSNR histories of the run -restart names.
  void resume() {
    const std::string grades_file = stem_ + ".grades.h5";
    if (r_.train.restart.empty()) return;
    try {
      done_ = read_grade_records(grades_file, comm_, r_.eigenvalues.eig_nev);
    } catch (const Error& e) {
      throw Error("option -restart: no restore checkpoint for '" + r_.train.restart +
                  "' (written with -checkpoint_every): " + e.what());
    }
    require(done_.model == records_.model && done_.method == records_.method,
            "restart file '" + grades_file + "' was written for '" + done_.model + "', " + done_.method + ", not '" +
                records_.model + "', " + records_.method);
    require(done_.grades.size() <= grades_.size(), "restart file '" + grades_file + "' holds too many grades");
    H5File file = H5File::open(grades_file, comm_);
    for (size_t l = 0; l < done_.grades.size(); ++l) {
      require(file.has(grade_key(l, "psnr")) && file.has(grade_key(l, "psnr_evaluations")),
              "restart file '" + grades_file + "' is damaged (no PSNR history of grade " + std::to_string(l + 1) + ")");
      psnr_evaluations_.push_back(file.read_array(grade_key(l, "psnr_evaluations")));
      psnr_history_.push_back(file.read_array(grade_key(l, "psnr")));
    }
    PetscPrintf(comm_, "restore: resuming after %zu finished grade(s) of %s\n", done_.grades.size(),
                grades_file.c_str());
  }

  // Collective: every grade, each frozen before the next (finished ones taken from the restart file).
  void train_grades() {
    multi_ = std::make_unique<MultiGrade>(pixels_, nullptr, grades_, parse_activation(r_.network.activation));
    g_prev_ = create_pixel_vec(comm_, pixels_.n_global);
    g_ = create_pixel_vec(comm_, pixels_.n_global);
    if (r_.train.restart.empty()) save_grades();
    for (size_t l = 0; l < grades_.size() && !diverged_; ++l) {
      const double eps = l == 0 ? 1.0 : r_.eps.empty() ? grade_scale(f_hat_, A_.get(), g_prev_) : r_.eps[l - 1];
      TvObjective objective(multi_->current(), f_hat_, A_.get(), B_, r_.tv, eps, l == 0 ? nullptr : g_prev_.get());
      GradeRecord record = l < done_.grades.size() ? finished_grade(l, objective) : train_grade(l, objective);
      diverged_ = record.diverged;
      const double final_psnr = diverged_ ? NAN : reconstruct(objective, record);
      report_grade(l, objective, eps, record, final_psnr);
      records_.grades.push_back(std::move(record));
      if (diverged_) break;
      arrays_.push_back({grade_key(l, "image"), gather_replicated(g_)});
      multi_->finish_grade(records_.grades.back().parameters);
      MSOPT_PETSC(VecCopy(g_, g_prev_));
      save_grades();
    }
  }

  // Collective: the final reconstruction into -restore_out; the exit status.
  int finish() {
    const double final_psnr = diverged_ ? NAN : psnr(clean_, g_prev_);
    if (!diverged_) PetscPrintf(comm_, "restore: final PSNR %.4f dB (observed %.4f dB)\n", final_psnr, observed_psnr_);
    if (!r_.out.empty()) {
      arrays_.push_back({"clean", gather_replicated(clean_)});
      arrays_.push_back({"observed", gather_replicated(f_hat_)});
      arrays_.push_back({"reconstruction", gather_replicated(g_prev_)});
      arrays_.push_back({"image_shape", {static_cast<double>(grid_.height), static_cast<double>(grid_.width)}});
      arrays_.push_back({"observed_psnr", {observed_psnr_}});
      arrays_.push_back({"final_psnr", {final_psnr}});
      write_grade_records(r_.out, comm_, records_, arrays_);
      write_text_file(path_stem(r_.out) + "_psnr.csv", comm_, psnr_csv_);
      PetscPrintf(comm_, "restore: wrote %s\n", r_.out.c_str());
    }
    return grade_run_status(comm_, records_);
  }

 private:
  void describe() {
    char text[600];
    std::snprintf(text, sizeof text,
                  "restore %s noise %g%s%s, lambda %g beta %g alpha %g, eps %s; mgdl %s, %s, %s init, seed %llu",
                  r_.task.c_str(), r_.noise, deblur_ ? " blur " : "",
                  deblur_ ? std::to_string(static_cast<int>(r_.blur)).c_str() : "", r_.tv.lambda, r_.tv.beta,
                  r_.tv.alpha, r_.eps.empty() ? "rms" : "given", grades_text(grades_).c_str(),
                  r_.network.activation.c_str(), r_.network.init.c_str(),
                  static_cast<unsigned long long>(r_.network.seed));
    records_.model = text;
    std::snprintf(text, sizeof text, "%s, noise seed %llu, image %dx%d", method_.c_str(),
                  static_cast<unsigned long long>(r_.noise_seed), static_cast<int>(grid_.height),
                  static_cast<int>(grid_.width));
    records_.method = text;
  }

  void save_grades() {
    if (checkpointing_) write_grade_records(stem_ + ".grades.h5", comm_, records_, arrays_);
  }

  GradeRecord finished_grade(size_t l, const TvObjective& objective) {
    GradeRecord record = std::move(done_.grades[l]);
    require(static_cast<PetscInt>(record.parameters.size()) == objective.dim(),
            "restart file '" + stem_ + ".grades.h5': grade parameters of the wrong length");
    return record;
  }

  GradeRecord train_grade(size_t l, TvObjective& objective) {
    std::vector<double> start = network_initial_parameters(multi_->current(), r_.network.seed + l, r_.network.init);
    auto optimizer = r_.optimizer.for_grade(o_, objective, start, r_.train.rtol);
    if (!o_.quiet()) PetscPrintf(comm_, "%s", optimizer->view().c_str());
    TvGradeSettings run;
    run.train = r_.train;
    run.train.checkpoint_path = stem_ + ".grade" + std::to_string(l + 1) + ".h5";
    run.psnr_every = r_.psnr_every;
    run.eigenvalues = r_.eigenvalues;
    run.resume = !r_.train.restart.empty() && l == done_.grades.size();
    run.fingerprint = records_.model + ", grade " + std::to_string(l + 1) + ", " + records_.method;
    run.settings = trajectory_settings(o_.values(), records_.method);
    run.overrides = r_.train.restart_overrides;
    TvGradeOutcome outcome = run_tv_grade(objective, std::move(start), clean_, *optimizer, run);
    psnr_evaluations_.push_back(std::move(outcome.psnr_evaluations));
    psnr_history_.push_back(std::move(outcome.psnr));
    return std::move(outcome.record);
  }

  // The image of the model after this grade (its last iterate) into g_, and its PSNR.
  double reconstruct(TvObjective& objective, const GradeRecord& record) {
    objective.reconstruct(record.parameters.data(), g_);
    return psnr(clean_, g_);
  }

  void report_grade(size_t l, const TvObjective& objective, double eps, const GradeRecord& record, double final_psnr) {
    const std::vector<double>& history = psnr_history_[l];
    size_t best = 0;
    for (size_t k = 0; k < history.size(); ++k)
      if (history[k] > history[best]) best = k;
    PetscPrintf(comm_,
                "restore: grade %zu/%zu [%s], %d parameters, eps %.6g: %zu iterations, loss %.6e -> %.6e; PSNR %.4f dB "
                "(highest during training %.4f dB at evaluation %d)\n      %s\n",
                l + 1, grades_.size(), grades_text({grades_[l]}).c_str(), static_cast<int>(objective.dim()), eps,
                record.train_loss.size(), record.train_loss.empty() ? NAN : record.train_loss.front(),
                record.train_loss.empty() ? NAN : record.train_loss.back(), final_psnr,
                history.empty() ? NAN : history[best],
                history.empty() ? 0 : static_cast<int>(psnr_evaluations_[l][best]), record.reason.c_str());
    char text[120];
    for (size_t k = 0; k < history.size(); ++k) {
      std::snprintf(text, sizeof text, "%zu,%.17g,%.17g\n", l + 1, psnr_evaluations_[l][k], history[k]);
      psnr_csv_ += text;
    }
    arrays_.push_back({grade_key(l, "psnr_evaluations"), psnr_evaluations_[l]});
    arrays_.push_back({grade_key(l, "psnr"), history});
    arrays_.push_back({grade_key(l, "eps"), {eps}});
    arrays_.push_back({grade_key(l, "final_psnr"), {final_psnr}});
  }

  MPI_Comm comm_;
  Options& o_;
  RestoreOptions& r_;
  const bool deblur_;
  std::vector<GradeWidths> grades_;
  std::string method_, stem_;
  bool checkpointing_ = false, diverged_ = false;
  Dataset pixels_;
  ImageGrid grid_;
  MatHandle A_, B_;  // blur (deblur only) and differences
  VecHandle clean_, f_hat_, g_prev_, g_;
  double observed_psnr_ = 0;
  GradeRecords records_, done_;
  std::vector<std::vector<double>> psnr_evaluations_, psnr_history_;  // per grade
  std::unique_ptr<MultiGrade> multi_;
  std::vector<std::pair<std::string, std::vector<double>>> arrays_;  // per grade, kept in the grades file
  std::string psnr_csv_ = "grade,evaluation,psnr\n";
};

}  // namespace

int run_restore(MPI_Comm comm) {
  Options o(comm, "restore",
            "image denoising / deblurring (MGDL paper, Section 4, Appendix C): a network of the pixel coordinates "
            "fitted through the TV loss (22)/(24) by the proximity-gradient algorithm (20)-(21); MGDL grades or "
            "SGDL (one deep grade)");
  RestoreOptions r;
  r.read(o);
  if (o.finish()) return 0;
  RestoreRun run(comm, o, r);
  run.check();
  run.observe();
  run.resume();
  run.train_grades();
  return run.finish();
}

}  // namespace msopt::apps
