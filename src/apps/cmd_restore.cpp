// msopt restore: image denoising and deblurring by MGDL and SGDL (MGDL paper,
// Section 4 and Appendix C). The observed image f_hat = A f + eps (A = I or
// the Gaussian blur, eps ~ N(0, sigma^2) on the 0-255 scale) is fitted by a
// network of the pixel coordinates through the TV loss (22)/(24), solved by
// the proximity-gradient algorithm (20)-(21) with Adam. SGDL is one deep
// grade; MGDL grade l >= 2 trains g = eps_l N_l(features of the frozen
// grades) + g_{l-1}, eps_l = RMS(f_hat - A g_{l-1}) unless -tv_eps gives it.
// The clean image is used only for the PSNR (eq. (34)) reported over training.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
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
const char kGrades33[] = "2-128-128-128-1,128-128-128-128-1,128-128-128-128-1,128-128-128-128-1";

struct RestoreOptions {
  std::string png, task, grades, activation, init, type, out, restart;
  PetscInt downsample = 1, psnr_every = 1;
  double noise = 0, blur = 0;
  std::uint64_t noise_seed = 1, seed = 1;
  std::vector<double> eps;
  TvParameters tv;
  TrainSettings train;

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
    grades = o.string("-mgdl_grades", kGrades33,
                      "widths of each grade, input-hidden...-1 (default (33); one grade, e.g. (29), is SGDL)");
    activation = o.choice("-mgdl_activation", "relu", {"relu", "tanh", "sigmoid", "softplus"}, "hidden activation");
    init = o.choice("-mgdl_init", "torch", {"torch", "he", "glorot"}, "initialisation of each grade");
    seed = static_cast<std::uint64_t>(o.nonnegative_integer("-mgdl_seed", 1, "initialisation seed (grade l: seed + l - 1)"));
    type = o.choice("-opt_type", "adam", optimizer_names(), "optimizer of every grade (Adam in the paper)");
    psnr_every = o.positive_integer("-restore_psnr_every", 1, "PSNR against the clean image every K evaluations");
    out = o.string("-restore_out", "", "result HDF5 (images, losses, PSNR; CSVs beside it)");
    restart = o.string("-restart", "", "the -checkpoint_file of an interrupted run: continue at its grade and iteration");
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

std::string checkpoint_stem(const std::string& base) {
  std::filesystem::path p(base);
  return (p.parent_path() / p.stem()).string();
}

std::string grade_key(size_t l, const char* name) { return "grade" + std::to_string(l + 1) + "_" + name; }

}  // namespace

int run_restore(MPI_Comm comm) {
  Options o(comm, "restore",
            "image denoising / deblurring (MGDL paper, Section 4, Appendix C): a network of the pixel coordinates "
            "fitted through the TV loss (22)/(24) by the proximity-gradient algorithm (20)-(21); MGDL grades or "
            "SGDL (one deep grade)");
  RestoreOptions r;
  r.read(o);
  o.declare([&] { create_optimizer(r.type, o, ProblemInfo{}); });
  if (o.finish()) return 0;
  const std::vector<GradeWidths> grades = parse_grades(r.grades, "-mgdl_grades");
  check_grade_input(grades, 2, "-mgdl_grades");
  require(r.eps.empty() || r.eps.size() == grades.size() - 1,
          "option -tv_eps: " + std::to_string(r.eps.size()) + " values for " + std::to_string(grades.size() - 1) +
              " grades after the first");
  const double rate = create_optimizer(r.type, o, ProblemInfo{})->current_rate();
  const bool deblur = r.task == "deblur";
  const bool checkpointing = r.train.checkpoint_every > 0 || !r.restart.empty();
  const std::string stem = checkpoint_stem(r.restart.empty() ? r.train.checkpoint_path : r.restart);
  const std::string grades_file = stem + ".grades.h5";
  RunFiles files(comm);
  files.input("-data_png", r.png);
  files.output("-restore_out", r.out, r.out.empty() ? "" : path_stem(r.out) + ".csv");
  if (!r.out.empty()) files.sibling("-restore_out", path_stem(r.out) + "_psnr.csv");
  if (checkpointing) files.checkpoints(r.restart.empty() ? "-checkpoint_file" : "-restart", stem + ".h5");
  files.check();

  // The clean image (all pixels) and what is observed of it.
  Dataset pixels = import_image_regression(r.png, static_cast<int>(r.downsample), comm, ImageSplit::test);
  const ImageGrid grid = image_grid_of(pixels);
  MatHandle A;
  if (deblur) A = create_blur_operator(comm, grid, static_cast<PetscInt>(r.blur));
  MatHandle B = create_difference_operator(comm, grid);
  VecHandle clean = pixel_vec_from_targets(pixels);
  VecHandle f_hat = observe_image(pixels, A.get(), r.noise, r.noise_seed);
  // The networks see the coordinates and (unused targets) the observation, never the clean image.
  {
    const std::vector<double> observed = gather_replicated(f_hat);
    for (PetscInt i = 0; i < pixels.rows.count; ++i) pixels.y[i] = observed[pixels.rows.begin + i];
  }
  const double observed_psnr = psnr(clean, f_hat);

  char text[600];
  std::snprintf(text, sizeof text, "restore %s noise %g%s%s, lambda %g beta %g alpha %g, eps %s; mgdl %s, %s, %s init, seed %llu",
                r.task.c_str(), r.noise, deblur ? " blur " : "", deblur ? std::to_string(static_cast<int>(r.blur)).c_str() : "",
                r.tv.lambda, r.tv.beta, r.tv.alpha, r.eps.empty() ? "rms" : "given", grades_text(grades).c_str(),
                r.activation.c_str(), r.init.c_str(), static_cast<unsigned long long>(r.seed));
  GradeRecords records;
  records.model = text;
  std::snprintf(text, sizeof text, "%s, rate %.17g, noise seed %llu, image %dx%d", r.type.c_str(), rate,
                static_cast<unsigned long long>(r.noise_seed), static_cast<int>(grid.height),
                static_cast<int>(grid.width));
  records.method = text;
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  PetscPrintf(comm, "restore: %s; %s; observed PSNR %.4f dB, %d ranks\n", records.model.c_str(),
              records.method.c_str(), observed_psnr, ranks);

  GradeRecords done;
  std::vector<std::vector<double>> psnr_evaluations, psnr_history;
  if (!r.restart.empty()) {
    try {
      done = read_grade_records(grades_file, comm, 0);
    } catch (const Error& e) {
      throw Error("option -restart: no restore checkpoint for '" + r.restart + "' (written with -checkpoint_every): " +
                  e.what());
    }
    require(done.model == records.model && done.method == records.method,
            "restart file '" + grades_file + "' was written for '" + done.model + "', " + done.method + ", not '" +
                records.model + "', " + records.method);
    require(done.grades.size() <= grades.size(), "restart file '" + grades_file + "' holds too many grades");
    H5File file = H5File::open(grades_file, comm);
    for (size_t l = 0; l < done.grades.size(); ++l) {
      require(file.has(grade_key(l, "psnr")) && file.has(grade_key(l, "psnr_evaluations")),
              "restart file '" + grades_file + "' is damaged (no PSNR history of grade " + std::to_string(l + 1) + ")");
      psnr_evaluations.push_back(file.read_array(grade_key(l, "psnr_evaluations")));
      psnr_history.push_back(file.read_array(grade_key(l, "psnr")));
    }
    PetscPrintf(comm, "restore: resuming after %zu finished grade(s) of %s\n", done.grades.size(), grades_file.c_str());
  }

  MultiGrade multi(pixels, nullptr, grades, parse_activation(r.activation));
  VecHandle g_prev = create_pixel_vec(comm, pixels.n_global), g = create_pixel_vec(comm, pixels.n_global);
  std::vector<std::pair<std::string, std::vector<double>>> arrays;  // per grade, kept in the grades file
  auto save_grades = [&]() {
    if (checkpointing) write_grade_records(grades_file, comm, records, arrays);
  };
  if (r.restart.empty()) save_grades();
  std::string psnr_csv = "grade,evaluation,psnr\n";
  bool diverged = false;
  for (size_t l = 0; l < grades.size() && !diverged; ++l) {
    const double eps = l == 0 ? 1.0 : r.eps.empty() ? grade_scale(f_hat, A.get(), g_prev) : r.eps[l - 1];
    TvObjective objective(multi.current(), f_hat, A.get(), B, r.tv, eps, l == 0 ? nullptr : g_prev.get());
    GradeRecord record;
    if (l < done.grades.size()) {
      record = std::move(done.grades[l]);
      require(static_cast<PetscInt>(record.parameters.size()) == objective.dim(),
              "restart file '" + grades_file + "': grade parameters of the wrong length");
    } else {
      ProblemInfo info;
      info.dim = objective.dim();
      auto optimizer = create_optimizer(r.type, o, info);
      TvGradeSettings run;
      run.train = r.train;
      run.train.checkpoint_path = stem + ".grade" + std::to_string(l + 1) + ".h5";
      run.psnr_every = r.psnr_every;
      run.resume = !r.restart.empty() && l == done.grades.size();
      run.fingerprint = records.model + ", grade " + std::to_string(l + 1) + ", " + records.method;
      run.settings = trajectory_settings(o.values(), records.method);
      run.overrides = r.train.restart_overrides;
      TvGradeOutcome outcome = run_tv_grade(
          objective, network_initial_parameters(multi.current(), r.seed + l, r.init), clean, *optimizer, run);
      record = std::move(outcome.record);
      psnr_evaluations.push_back(std::move(outcome.psnr_evaluations));
      psnr_history.push_back(std::move(outcome.psnr));
    }
    diverged = record.diverged;
    const std::vector<double>& history = psnr_history[l];
    size_t best = 0;
    for (size_t k = 0; k < history.size(); ++k)
      if (history[k] > history[best]) best = k;
    double final_psnr = NAN;
    if (!diverged) {
      objective.reconstruct(record.parameters.data(), g);  // the grade's last iterate
      final_psnr = psnr(clean, g);
    }
    PetscPrintf(comm,
                "restore: grade %zu/%zu [%s], %d parameters, eps %.6g: %zu iterations, loss %.6e -> %.6e; PSNR %.4f dB "
                "(highest during training %.4f dB at evaluation %d)\n      %s\n",
                l + 1, grades.size(), grades_text({grades[l]}).c_str(), static_cast<int>(objective.dim()), eps,
                record.train_loss.size(), record.train_loss.empty() ? NAN : record.train_loss.front(),
                record.train_loss.empty() ? NAN : record.train_loss.back(), final_psnr,
                history.empty() ? NAN : history[best],
                history.empty() ? 0 : static_cast<int>(psnr_evaluations[l][best]), record.reason.c_str());
    for (size_t k = 0; k < history.size(); ++k) {
      std::snprintf(text, sizeof text, "%zu,%.17g,%.17g\n", l + 1, psnr_evaluations[l][k], history[k]);
      psnr_csv += text;
    }
    arrays.push_back({grade_key(l, "psnr_evaluations"), psnr_evaluations[l]});
    arrays.push_back({grade_key(l, "psnr"), history});
    arrays.push_back({grade_key(l, "eps"), {eps}});
    arrays.push_back({grade_key(l, "final_psnr"), {final_psnr}});
    records.grades.push_back(std::move(record));
    if (diverged) break;
    arrays.push_back({grade_key(l, "image"), gather_replicated(g)});
    multi.finish_grade(records.grades.back().parameters);
    MSOPT_PETSC(VecCopy(g, g_prev));
    save_grades();
  }

  const double final_psnr = diverged ? NAN : psnr(clean, g_prev);
  if (!diverged) PetscPrintf(comm, "restore: final PSNR %.4f dB (observed %.4f dB)\n", final_psnr, observed_psnr);
  if (!r.out.empty()) {
    arrays.push_back({"clean", gather_replicated(clean)});
    arrays.push_back({"observed", gather_replicated(f_hat)});
    arrays.push_back({"reconstruction", gather_replicated(g_prev)});
    arrays.push_back({"image_shape", {static_cast<double>(grid.height), static_cast<double>(grid.width)}});
    arrays.push_back({"observed_psnr", {observed_psnr}});
    arrays.push_back({"final_psnr", {final_psnr}});
    write_grade_records(r.out, comm, records, arrays);
    write_text_file(path_stem(r.out) + "_psnr.csv", comm, psnr_csv);
    PetscPrintf(comm, "restore: wrote %s\n", r.out.c_str());
  }
  return grade_run_status(comm, records);
}

}  // namespace msopt::apps
