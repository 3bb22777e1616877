// bench_mlp_gradient: one full-batch value+gradient (local backprop plus the
// MPI_Allreduce) of msopt::Mlp, and its exact Hessian-vector product, on a
// dataset file (Fashion-MNIST, 784-1024-128-10, relu, cross-entropy).
//
// Parameters: Mlp::initial_parameters(-seed, "he"); direction v: standard
// normals from CounterRng(-seed + 1). One warm-up of each, then gradient and
// H v timed interleaved (-reps and -hv_reps calls, each after an MPI_Barrier,
// time = slowest rank). Also times the MPI_Allreduce of d+1 doubles alone and,
// with -sweep 256,1024,..., the gradient at other block_rows (interleaved).
// -out FILE writes /parameters, /v, /gradient, /hv and the attribute loss
// (HDF5) so that bench/torch_mlp_gradient.py can check the same numbers.
//
//   mpiexec -n 2 build/bench/bench_mlp_gradient -data_file build/bench-data/fashion_train.h5 -reps 5
//
// The last line, starting with RESULT, is parsed by bench/run_mlp_softmax_bench.sh.
#include <mpi.h>
#include <petscsys.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/models/mlp.hpp"

static const char help[] =
    "Full-batch MLP gradient and Hessian-vector product (relu, cross-entropy).\n"
    "  -data_file <f>   HDF5 dataset (/X, /y), required\n"
    "  -hidden <list>   hidden widths (default 1024,128)\n"
    "  -classes <k>     outputs (default 10)\n"
    "  -block <b>       block_rows of the Mlp (default 192)\n"
    "  -reps <r>        timed gradients (default 5)\n"
    "  -hv_reps <r>     timed Hessian-vector products (default 3)\n"
    "  -seed <s>        parameter seed (default 1)\n"
    "  -sweep <list>    also time the gradient at these block_rows\n"
    "  -out <f>         write parameters, v, gradient, H v, loss to this HDF5 file\n";

namespace {

PetscErrorCode run(MPI_Comm comm, int* status) {
  *status = 0;
  char data_file[PETSC_MAX_PATH_LEN] = "", out[PETSC_MAX_PATH_LEN] = "";
  PetscInt hidden[16] = {1024, 128}, n_hidden = 16, sweep[16], n_sweep = 16;
  PetscInt classes = 10, block = 192, reps = 5, hv_reps = 3, seed = 1;
  PetscBool has_data = PETSC_FALSE, has_hidden = PETSC_FALSE, has_sweep = PETSC_FALSE;
  PetscCall(PetscOptionsGetString(nullptr, nullptr, "-data_file", data_file, sizeof data_file, &has_data));
  PetscCall(PetscOptionsGetString(nullptr, nullptr, "-out", out, sizeof out, nullptr));
  PetscCall(PetscOptionsGetIntArray(nullptr, nullptr, "-hidden", hidden, &n_hidden, &has_hidden));
  PetscCall(PetscOptionsGetIntArray(nullptr, nullptr, "-sweep", sweep, &n_sweep, &has_sweep));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-classes", &classes, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-block", &block, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-reps", &reps, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-hv_reps", &hv_reps, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-seed", &seed, nullptr));
  if (!has_hidden) n_hidden = 2;
  if (!has_sweep) n_sweep = 0;
  const char* bad = nullptr;
  if (!has_data) bad = "-data_file is required";
  else if (reps < 1 || hv_reps < 1) bad = "-reps and -hv_reps must be >= 1";
  else if (block < 1 || classes < 2 || seed < 0) bad = "-block >= 1, -classes >= 2, -seed >= 0 required";
  if (bad) {
    PetscCall(PetscPrintf(comm, "bench_mlp_gradient: %s\n", bad));
    *status = 1;
    return 0;
  }
  int size = 1;
  MPI_Comm_size(comm, &size);

  const msopt::Dataset data = msopt::read_dataset(data_file, comm);
  std::vector<PetscInt> widths{data.dim};
  widths.insert(widths.end(), hidden, hidden + n_hidden);
  widths.push_back(classes);
  const std::vector<msopt::Activation> relu{msopt::Activation::relu};
  msopt::Mlp mlp(data, widths, relu, msopt::MlpLoss::cross_entropy, block);
  const PetscInt d = mlp.dim();
  const std::vector<double> theta = mlp.initial_parameters(static_cast<std::uint64_t>(seed), "he");
  std::vector<double> v(d), grad(d), hv(d);
  const msopt::CounterRng rng(static_cast<std::uint64_t>(seed) + 1);
  for (PetscInt j = 0; j < d; ++j) v[j] = rng.normal2(7, static_cast<std::uint64_t>(j), 0)[0];

  std::string arch = std::to_string(widths[0]);
  for (std::size_t l = 1; l < widths.size(); ++l) arch += "-" + std::to_string(widths[l]);
  PetscCall(PetscPrintf(comm,
                        "bench_mlp_gradient (msopt): MLP %s relu cross-entropy, %" PetscInt_FMT
                        " parameters, N=%" PetscInt_FMT " ranks=%d block=%" PetscInt_FMT " reps=%" PetscInt_FMT
                        " hv_reps=%" PetscInt_FMT "\n",
                        arch.c_str(), d, data.n_global, size, block, reps, hv_reps));

  double loss = 0;
  auto gradient = [&] { loss = mlp.value_and_gradient(theta.data(), grad.data()); };
  auto hessian_vector = [&] { mlp.hessian_vector(theta.data(), v.data(), hv.data()); };
  std::vector<double> partial(d + 1, 1.0), total(d + 1);
  auto allreduce = [&] { MPI_Allreduce(partial.data(), total.data(), d + 1, MPI_DOUBLE, MPI_SUM, comm); };
  bench::timed(comm, gradient);  // warm-up
  bench::timed(comm, hessian_vector);
  bench::timed(comm, allreduce);
  std::vector<double> t_grad, t_hv, t_reduce;
  for (PetscInt r = 0; r < std::max(reps, hv_reps); ++r) {
    if (r < reps) t_grad.push_back(bench::timed(comm, gradient));
    if (r < hv_reps) t_hv.push_back(bench::timed(comm, hessian_vector));
    t_reduce.push_back(bench::timed(comm, allreduce));
  }
  const bench::Stats sg = bench::stats(t_grad), sh = bench::stats(t_hv), sr = bench::stats(t_reduce);
  const double gflop = 1e-9 * mlp.local_gradient_flops() * size;  // rows are split evenly
  const bench::DgemmRate dgemm = bench::dgemm_rate(comm);
  const double frac = gflop / sg.median / size / dgemm.median, frac_best = gflop / sg.min / size / dgemm.best;
  PetscCall(PetscPrintf(comm, "  loss %.17g  |grad| %.10e  |H v| %.10e\n", loss, bench::norm2(grad),
                        bench::norm2(hv)));
  PetscCall(bench::print_dgemm_rate(comm, dgemm));
  PetscCall(
      PetscPrintf(comm,
                  "  gradient      median %.4f s  min %.4f s  (%.1f GFLOP/s over all ranks; %.1f%% of DGEMM's rate,"
                  " best/best %.1f%%)\n",
                  sg.median, sg.min, gflop / sg.median, 100 * frac, 100 * frac_best));
  PetscCall(PetscPrintf(comm, "  H v           median %.4f s  min %.4f s  = %.2f x gradient (medians)\n", sh.median,
                        sh.min, sh.median / sg.median));
  PetscCall(PetscPrintf(comm, "  allreduce     median %.5f s  (d+1 = %" PetscInt_FMT " doubles)\n", sr.median, d + 1));

  if (n_sweep > 0) {  // block sizes take turns within each repetition
    std::vector<std::unique_ptr<msopt::Mlp>> nets;
    for (PetscInt k = 0; k < n_sweep; ++k)
      nets.push_back(std::make_unique<msopt::Mlp>(data, widths, relu, msopt::MlpLoss::cross_entropy, sweep[k]));
    std::vector<std::vector<double>> t(n_sweep);
    for (PetscInt r = -1; r < reps; ++r)
      for (PetscInt k = 0; k < n_sweep; ++k) {
        const double dt = bench::timed(comm, [&] { nets[k]->value_and_gradient(theta.data(), grad.data()); });
        if (r >= 0) t[k].push_back(dt);
      }
    for (PetscInt k = 0; k < n_sweep; ++k) {
      const bench::Stats s = bench::stats(t[k]);
      PetscCall(PetscPrintf(comm, "  sweep block %5" PetscInt_FMT "  gradient median %.4f s  min %.4f s\n", sweep[k],
                            s.median, s.min));
    }
  }

  if (out[0]) {
    msopt::H5File file = msopt::H5File::create_atomic(out, comm);
    file.write_array("parameters", theta);
    file.write_array("v", v);
    file.write_array("gradient", grad);
    file.write_array("hv", hv);
    file.write_attribute("loss", std::vector<double>{loss});
    std::vector<double> w(widths.begin(), widths.end());
    file.write_attribute("widths", w);
    file.commit();
    PetscCall(PetscPrintf(comm, "  wrote %s\n", out));
  }
  PetscCall(
      PetscPrintf(comm,
                  "RESULT impl=msopt ranks=%d block=%" PetscInt_FMT
                  " grad_median_s=%.6f grad_min_s=%.6f hv_median_s=%.6f hv_min_s=%.6f hv_ratio=%.4f"
                  " allreduce_s=%.6f loss=%.17g kernel=%s dgemm_gflops=%.3f frac_dgemm=%.4f frac_dgemm_best=%.4f\n",
                  size, block, sg.median, sg.min, sh.median, sh.min, sh.median / sg.median, sr.median, loss,
                  dgemm.kernel.c_str(), dgemm.median, frac, frac_best));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::bench_main(argc, argv, help, "bench_mlp_gradient", run);
}
