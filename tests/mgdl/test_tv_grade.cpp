#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "image_test_util.hpp"
#include "test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/options.hpp"
#include "msopt/mgdl/blur_operator.hpp"
#include "msopt/mgdl/image_noise.hpp"
#include "msopt/mgdl/psnr.hpp"
#include "msopt/mgdl/tv_difference.hpp"
#include "msopt/mgdl/tv_grade.hpp"
#include "msopt/optim/optimizer.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

constexpr PetscInt kH = 9, kW = 7, kN = kH * kW;

std::vector<double> previous_image() {
  std::vector<double> g(kN);
  for (PetscInt i = 0; i < kN; ++i) g[i] = 0.4 + 0.2 * std::sin(0.37 * i);
  return g;
}

}  // namespace

// eps_l = sqrt(||f_hat - A g_prev||^2 / n) against the formula on replicated vectors.
TEST(TvGrade, GradeScaleIsTheRmsDataError) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  Dataset data = pixel_dataset(comm, kH, kW, test_image(kH, kW));
  const ImageGrid grid = image_grid_of(data);
  for (bool blur : {false, true}) {
    MatHandle A;
    if (blur) A = create_blur_operator(comm, grid, 1);
    VecHandle f_hat = observe_image(data, A, 25, 3);
    VecHandle g_prev = create_pixel_vec(comm, kN);
    const std::vector<double> g = previous_image();
    set_from_replicated(g_prev, g);
    const std::vector<double> f = gather_replicated(f_hat);
    const std::vector<double> Ag = blur ? apply_operator(A, g) : g;
    double sum = 0;
    for (PetscInt i = 0; i < kN; ++i) sum += (f[i] - Ag[i]) * (f[i] - Ag[i]);
    EXPECT_NEAR(grade_scale(f_hat, A.get(), g_prev), std::sqrt(sum / kN), 1e-14) << (blur ? "deblur" : "denoise");
  }
}

// A grade stopped at a checkpoint and resumed (u and the PSNR history from
// the checkpoint's extras) ends bitwise equal to the uninterrupted grade.
TEST(TvGrade, ResumedGradeIsBitwiseEqual) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  const std::string dir = shared_temp_dir(comm);
  Dataset data = pixel_dataset(comm, kH, kW, test_image(kH, kW));
  const ImageGrid grid = image_grid_of(data);
  MatHandle A = create_blur_operator(comm, grid, 1), B = create_difference_operator(comm, grid);
  VecHandle f_hat = observe_image(data, A, 10, 5), clean = pixel_vec_from_targets(data);
  VecHandle g_prev = create_pixel_vec(comm, kN);
  set_from_replicated(g_prev, previous_image());
  TvParameters p;
  p.lambda = 0.02;
  p.beta = 5;
  p.alpha = 0.99;
  ScopedOptions scoped{{"-opt_lr", "0.01"}};
  Options options(comm, "test", "");
  auto run = [&](PetscInt max_it, PetscInt every, bool resume) {
    Mlp net(data, {2, 6, 1}, {Activation::relu}, MlpLoss::least_squares);
    TvObjective objective(net, f_hat, A, B, p, 0.3, g_prev);
    ProblemInfo info;
    info.dim = objective.dim();
    auto adam = create_step_optimizer("adam", options, info);
    TvGradeSettings s;
    s.train.max_it = max_it;
    s.train.quiet = true;
    s.train.checkpoint_every = every;
    s.train.checkpoint_keep = 10;
    s.train.checkpoint_path = dir + "/tv.h5";
    s.psnr_every = 3;
    s.eigenvalues.eig_every = 6;  // I - eta H at evaluations 1, 7, ..., 25, kept across the restart
    s.eigenvalues.eig_nev = 2;
    s.resume = resume;
    s.fingerprint = "tv test";
    TvGradeOutcome out = run_tv_grade(objective, net.initial_parameters(4, "glorot"), clean, *adam, s);
    return std::make_pair(out, objective.state());
  };
  const auto [reference, u_reference] = run(25, 0, false);
  run(13, 10, false);  // leaves a checkpoint at evaluation 10 (u after 10 prox steps)
  const auto [resumed, u_resumed] = run(25, 0, true);
  EXPECT_EQ(resumed.record.parameters, reference.record.parameters);
  EXPECT_EQ(resumed.record.train_loss, reference.record.train_loss);
  EXPECT_EQ(resumed.psnr, reference.psnr);
  EXPECT_EQ(resumed.psnr_evaluations, reference.psnr_evaluations);
  EXPECT_EQ(u_resumed, u_reference);
  EXPECT_EQ(resumed.record.spectra.evaluations, reference.record.spectra.evaluations);
  EXPECT_EQ(resumed.record.spectra.smallest, reference.record.spectra.smallest);
  EXPECT_EQ(resumed.record.spectra.largest, reference.record.spectra.largest);
  ASSERT_EQ(reference.record.spectra.evaluations, (std::vector<double>{1, 7, 13, 19, 25}));
  ASSERT_EQ(reference.record.spectra.smallest.size(), 10u);
  ASSERT_EQ(reference.psnr_evaluations.size(), 9u);  // evaluations 1, 4, ..., 25
  EXPECT_EQ(reference.psnr_evaluations.back(), 25);
  for (double v : reference.psnr) EXPECT_TRUE(std::isfinite(v));
  // u is not zero after training, and the u of a fresh objective is.
  double norm = 0;
  for (double v : u_reference) norm += v * v;
  EXPECT_GT(norm, 0);
}

// The monitor refuses extras that are not its own.
TEST(TvGrade, MonitorRefusesForeignState) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  Dataset data = pixel_dataset(comm, kH, kW, test_image(kH, kW));
  MatHandle B = create_difference_operator(comm, image_grid_of(data));
  VecHandle f_hat = observe_image(data, nullptr, 10, 5), clean = pixel_vec_from_targets(data);
  Mlp net(data, {2, 4, 1}, {Activation::relu}, MlpLoss::least_squares);
  TvObjective objective(net, f_hat, nullptr, B, TvParameters{}, 1.0);
  TvMonitor monitor(objective, clean, 1);
  EXPECT_THROW(monitor.restore({{"validation_loss", {}}}), Error);
  CheckpointExtras wrong = monitor.state();
  wrong[0].second.pop_back();  // u one entry short
  EXPECT_THROW(monitor.restore(wrong), Error);
  EXPECT_NO_THROW(monitor.restore(monitor.state()));
}
