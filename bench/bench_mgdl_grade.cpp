// bench_mgdl_grade: one epoch of MGDL grade-4 training on the Cameraman
// regression task: one full-batch value+gradient (local backprop
// plus the MPI_Allreduce) of grade 4's network [128 -> 128 -> 128 -> 1]
// (relu, least squares 0.5 mean err^2) on the frozen 128-wide features of
// grades 1-3, then one Adam step (lr 1e-3, betas 0.9/0.999, eps 1e-8).
//
// Frozen features: the Cameraman structure (runs/cameraman_mgdl.opts)
// 2-128-128-1,128-128-128-1,128-128-128-1,128-128-128-1 in a MultiGrade; grades
// 1-3 are frozen at their "torch" initial parameters (seeds -seed, -seed+1,
// -seed+2, as msopt mgdl would start them), which computes grade 4's features
// x_4 and residuals e_4 once (not timed). Grade 4 starts at its "torch"
// initial parameters (seed -seed+3). The timed part is only grade 4's epoch.
//
// One warm-up epoch, then -reps epochs, each after an MPI_Barrier (time =
// slowest rank); inside each epoch the gradient (incl. the Allreduce) and
// the Adam step are timed too (and the gradient's local backprop without
// its Allreduce, wall and thread CPU time: on a shared machine a rank that
// is descheduled shows wall > CPU), and the MPI_Allreduce of d+1 doubles alone
// after each epoch. The loss of every epoch (warm-up first) is kept.
// -features FILE writes grade 4's data set (/X = features, /y = residuals,
// an msopt dataset); -out FILE writes /parameters (grade 4's start), /losses
// and the attributes loss (the first epoch's), widths, lr, reps, so that
// bench/torch_mgdl_grade.py repeats the same epochs on the same numbers.
//
//   mpiexec -n 2 build/bench/bench_mgdl_grade -data_file camera_train.h5 -reps 20
//
// The TIMES line (every timed epoch) and the last line, starting with
// RESULT, are parsed by bench/run_mgdl_grade_bench.sh.
#include <mpi.h>
#include <petscsys.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/options.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/mgdl/grade_structure.hpp"
#include "msopt/mgdl/initialisation.hpp"
#include "msopt/mgdl/multi_grade.hpp"
#include "msopt/models/mlp.hpp"
#include "msopt/optim/first_order.hpp"

static const char help[] =
    "One epoch (full-batch gradient + Adam step) of MGDL grade-4 training (Cameraman).\n"
    "  -data_file <f>   HDF5 dataset (/X [N][2] pixel coordinates, /y intensities), required\n"
    "  -grades <s>      MGDL structure (default 2-128-128-1,128-128-128-1,128-128-128-1,128-128-128-1)\n"
    "  -reps <r>        timed epochs (default 20)\n"
    "  -seed <s>        seed of grade 1 (grade l: s + l - 1, default 1)\n"
    "  -opt_lr <lr>     Adam learning rate (default 1e-3)\n"
    "  -features <f>    write the timed grade's data set (features /X, residuals /y)\n"
    "  -out <f>         write its start parameters, losses per epoch, widths, lr\n";

namespace {

// CPU time of the calling thread (OpenBLAS runs single-threaded in it).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

int run(MPI_Comm comm) {
  msopt::Options o(comm, "bench_mgdl_grade", "MGDL grade-4 epoch benchmark");
  const std::string data_file = o.string("-data_file", "", "HDF5 dataset, required");
  const std::string grades_text =
      o.string("-grades", "2-128-128-1,128-128-128-1,128-128-128-1,128-128-128-1", "MGDL grade structure");
  const PetscInt reps = o.positive_integer("-reps", 20, "timed epochs");
  const PetscInt seed = o.nonnegative_integer("-seed", 1, "seed of grade 1");
  const std::string features_out = o.string("-features", "", "write the timed grade's data set");
  const std::string out = o.string("-out", "", "write start parameters and losses");
  msopt::ProblemInfo info;
  if (data_file.empty()) {
    PetscPrintf(comm, "bench_mgdl_grade: -data_file is required\n");
    return 1;
  }
  int size = 1;
  MPI_Comm_size(comm, &size);

  // Grades 1..L-1 frozen at their start parameters: grade L's features and residuals.
  const msopt::Dataset train = msopt::read_dataset(data_file, comm);
  const std::vector<msopt::GradeWidths> grades = msopt::parse_grades(grades_text, "-grades");
  msopt::MultiGrade multi(train, nullptr, grades, msopt::Activation::relu);
  const double t_setup = MPI_Wtime();
  for (PetscInt l = 0; l + 1 < multi.num_grades(); ++l)
    multi.finish_grade(msopt::network_initial_parameters(multi.current(), static_cast<std::uint64_t>(seed + l), "torch"));
  const double setup_s = MPI_Wtime() - t_setup;
  msopt::Mlp& net = multi.current();
  const PetscInt last = multi.num_grades() - 1, d = net.dim();
  const std::vector<double> theta0 =
      msopt::network_initial_parameters(net, static_cast<std::uint64_t>(seed + last), "torch");
  info.dim = d;
  auto adam = msopt::create_step_optimizer("adam", o, info);
  const double lr = adam->current_rate();
  if (o.finish()) return 0;

  std::string arch = std::to_string(net.widths()[0]);
  for (std::size_t l = 1; l < net.widths().size(); ++l) arch += "-" + std::to_string(net.widths()[l]);
  PetscPrintf(comm,
              "bench_mgdl_grade (msopt): grade %" PetscInt_FMT " of %s, network %s relu least squares, %" PetscInt_FMT
              " parameters, N=%" PetscInt_FMT " ranks=%d reps=%" PetscInt_FMT " adam lr %g (features of grades 1-%" PetscInt_FMT
              " in %.3f s)\n",
              last + 1, grades_text.c_str(), arch.c_str(), d, multi.current_data().n_global, size, reps, lr, last,
              setup_s);

  // Objective::value_and_gradient spelled out (local backprop, one Allreduce
  // of gradient and loss) to time the local part alone too.
  std::vector<double> theta = theta0, grad(d), local(d + 1), reduced(d + 1);
  std::vector<double> losses;
  double t_compute = 0, t_cpu = 0, t_grad = 0, t_step = 0;
  auto epoch = [&] {
    const double t0 = MPI_Wtime(), c0 = thread_cpu_seconds();
    net.local_value_and_gradient(theta.data(), local.data());
    t_compute = MPI_Wtime() - t0;
    t_cpu = thread_cpu_seconds() - c0;
    MPI_Allreduce(local.data(), reduced.data(), d + 1, MPI_DOUBLE, MPI_SUM, comm);
    std::copy(reduced.begin(), reduced.begin() + d, grad.begin());
    losses.push_back(reduced[d]);
    const double t1 = MPI_Wtime();
    adam->step(theta, grad);
    t_grad = t1 - t0;
    t_step = MPI_Wtime() - t1;
  };
  std::vector<double> partial(d + 1, 1.0), total(d + 1);
  auto allreduce = [&] { MPI_Allreduce(partial.data(), total.data(), d + 1, MPI_DOUBLE, MPI_SUM, comm); };
  bench::timed(comm, epoch);  // warm-up (epoch 1 of the loss sequence)
  bench::timed(comm, allreduce);
  std::vector<double> t_epoch, t_gradient, t_adam, t_local, t_cpu_local, t_reduce;
  for (PetscInt r = 0; r < reps; ++r) {
    t_epoch.push_back(bench::timed(comm, epoch));
    double mine[4] = {t_grad, t_step, t_compute, t_cpu}, slowest[4];
    MPI_Allreduce(mine, slowest, 4, MPI_DOUBLE, MPI_MAX, comm);
    t_cpu_local.push_back(slowest[3]);
    t_gradient.push_back(slowest[0]);
    t_adam.push_back(slowest[1]);
    t_local.push_back(slowest[2]);
    t_reduce.push_back(bench::timed(comm, allreduce));
  }
  const bench::Stats se = bench::stats(t_epoch), sg = bench::stats(t_gradient), sa = bench::stats(t_adam),
                     sl = bench::stats(t_local), sc = bench::stats(t_cpu_local), sr = bench::stats(t_reduce);
  const double gflop = 1e-9 * net.local_gradient_flops() * size;
  const bench::DgemmRate dgemm = bench::dgemm_rate(comm);
  // The products of a hidden layer on one block of rows (Mlp::block_rows), NN
  // on aligned operands as the epoch runs them: OpenBLAS runs these small
  // shapes at a rate of their own, faster or slower than its square DGEMM.
  const int width = static_cast<int>(net.widths()[1]), block = static_cast<int>(net.block_rows());
  const bench::DgemmRate layer = bench::dgemm_rate(comm, width, block, static_cast<int>(net.widths()[0]));
  // Per rank: the epoch's (gradient, Allreduce, Adam) and the local backprop's share of the DGEMM rate.
  const double frac_epoch = gflop / se.median / size / dgemm.median,
               frac_local = gflop / sl.median / size / dgemm.median;
  const double frac_epoch_best = gflop / se.min / size / dgemm.best;
  const double frac_layer = gflop / se.median / size / layer.median;
  PetscPrintf(comm, "  loss epoch 1 %.17g  epoch %zu %.17g\n", losses.front(), losses.size(), losses.back());
  bench::print_dgemm_rate(comm, dgemm);
  PetscPrintf(comm, "  blas at a hidden layer's block: DGEMM %dx%dx%d %.1f GFLOP/s median (%.1f%% of the square one)\n",
              layer.m, layer.n, layer.k, layer.median, 100 * layer.median / dgemm.median);
  PetscPrintf(comm,
              "  epoch         median %.5f s  min %.5f s  (%.1f%% of DGEMM's rate, best/best %.1f%%; %.1f%% of the "
              "layer-block DGEMM's)\n",
              se.median, se.min, 100 * frac_epoch, 100 * frac_epoch_best, 100 * frac_layer);
  PetscPrintf(comm, "    gradient    median %.5f s  min %.5f s  (%.1f GFLOP/s over all ranks)\n", sg.median, sg.min,
              gflop / sg.median);
  PetscPrintf(
      comm,
      "      local     median %.5f s  min %.5f s  (backprop of the slowest rank, no Allreduce; %.1f%% of DGEMM's "
      "rate)\n",
      sl.median, sl.min, 100 * frac_local);
  PetscPrintf(comm, "      local cpu median %.5f s  min %.5f s  (its CPU time: the same unless descheduled)\n",
              sc.median, sc.min);
  PetscPrintf(comm, "    adam step   median %.5f s  min %.5f s\n", sa.median, sa.min);
  PetscPrintf(comm, "  allreduce     median %.5f s  (d+1 = %" PetscInt_FMT " doubles)\n", sr.median, d + 1);

  if (!features_out.empty()) {
    msopt::write_dataset(features_out, multi.current_data());
    PetscPrintf(comm, "  wrote %s\n", features_out.c_str());
  }
  if (!out.empty()) {
    msopt::H5File file = msopt::H5File::create_atomic(out, comm);
    file.write_array("parameters", theta0);
    file.write_array("losses", losses);
    file.write_attribute("loss", std::vector<double>{losses.front()});
    file.write_attribute("widths", std::vector<double>(net.widths().begin(), net.widths().end()));
    file.write_attribute("lr", std::vector<double>{lr});
    file.commit();
    PetscPrintf(comm, "  wrote %s\n", out.c_str());
  }
  auto list = [](const std::vector<double>& t) {
    std::string s;
    for (double x : t) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
  };
  PetscPrintf(comm, "TIMES epoch=%s grad=%s step=%s local=%s cpu=%s\n", list(t_epoch).c_str(),
              list(t_gradient).c_str(), list(t_adam).c_str(), list(t_local).c_str(), list(t_cpu_local).c_str());
  PetscPrintf(
      comm,
      "RESULT impl=msopt ranks=%d epoch_median_s=%.6f epoch_min_s=%.6f grad_median_s=%.6f grad_min_s=%.6f"
      " step_median_s=%.6f step_min_s=%.6f local_median_s=%.6f local_min_s=%.6f allreduce_s=%.6f loss=%.17g"
      " last_loss=%.17g kernel=%s dgemm_gflops=%.3f frac_dgemm=%.4f frac_dgemm_best=%.4f frac_dgemm_local=%.4f"
      " layer_dgemm=%dx%dx%d layer_dgemm_gflops=%.3f frac_layer_dgemm=%.4f\n",
      size, se.median, se.min, sg.median, sg.min, sa.median, sa.min, sl.median, sl.min, sr.median, losses.front(),
      losses.back(), dgemm.kernel.c_str(), dgemm.median, frac_epoch, frac_epoch_best, frac_local, layer.m, layer.n,
      layer.k, layer.median, frac_layer);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::bench_main(argc, argv, help, "bench_mgdl_grade", [](MPI_Comm comm, int* status) {
    *status = run(comm);
    return PetscErrorCode(0);
  });
}
