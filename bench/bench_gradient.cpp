// bench_gradient: full-batch gradient of the least-squares objective against
// the machine's read bandwidth.
//
// Each rank fills its row block of an N x d dataset with deterministic
// pseudo-random values (value of entry (i, j) depends only on i and j, so the
// data are the same on any number of ranks), builds
// msopt::QuadraticLeastSquares and times value_and_gradient: one warm-up, then
// -reps timed calls, each after an MPI_Barrier, time = max over ranks.
// Interleaved with those calls it times a STREAM-style read kernel (sum of all
// local X values, all ranks at once), so both see the same machine state.
// Reported: median and min times, effective bandwidth counting one pass over X
// (bytes of X / time) and its fraction of the measured read bandwidth.
//
//   mpiexec -n 2 --bind-to core build/bench/bench_gradient -n 1000000 -d 100 -reps 20
//
// The last line, starting with RESULT, is parsed by bench/run_gradient_bench.sh;
// bench/numpy_gradient.py prints the same format.
#include <mpi.h>
#include <petscsys.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <vector>

#include "bench_common.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/quadratic_least_squares.hpp"

static const char help[] =
    "Full-batch least-squares gradient vs. read bandwidth.\n"
    "  -n <N>        samples (default 1000000)\n"
    "  -d <d>        features (default 100)\n"
    "  -reps <r>     timed repetitions (default 20)\n";

namespace {

// splitmix64 finaliser: a cheap counter-based generator.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
// Uniform in [-1, 1) for counter i.
inline double uniform(std::uint64_t i) { return static_cast<double>(mix(i) >> 11) * 0x1.0p-52 - 1.0; }

using bench::Stats;
using bench::stats;
using bench::timed;

// Returns 0 on success, 1 on a bad option; PETSc errors propagate as codes.
PetscErrorCode run(MPI_Comm comm, int* status) {
  *status = 0;
  PetscInt n = 1000000, d = 100, reps = 20;
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-n", &n, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-d", &d, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-reps", &reps, nullptr));
  int size = 1;
  MPI_Comm_size(comm, &size);
  // User mistakes: one line, exit code 1 on every rank.
  const char* bad = nullptr;
  if (n < size) bad = "-n must be >= the number of ranks";
  else if (d < 1) bad = "-d must be >= 1";
  else if (reps < 1) bad = "-reps must be >= 1";
  if (bad) {
    PetscCall(PetscPrintf(comm, "bench_gradient: %s\n", bad));
    *status = 1;
    return 0;
  }

  // Data: entry (i, j) of the global matrix is uniform(i * (d + 1) + j), y_i is slot d.
  msopt::Dataset data;
  data.comm = comm;
  data.n_global = n;
  data.dim = d;
  data.rows = msopt::split_rows(n, comm);
  const std::size_t local_rows = static_cast<std::size_t>(data.rows.count), dd = static_cast<std::size_t>(d);
  data.X.resize(local_rows * dd);
  data.y.resize(local_rows);
  for (std::size_t i = 0; i < local_rows; ++i) {
    const std::uint64_t base = (static_cast<std::uint64_t>(data.rows.begin) + i) * (dd + 1);
    double* xi = data.X.data() + i * dd;
    for (std::size_t j = 0; j < dd; ++j) xi[j] = uniform(base + j);
    data.y[i] = uniform(base + dd);
  }

  std::vector<double> w(dd), grad(dd);
  for (std::size_t j = 0; j < dd; ++j) w[j] = 0.1 * uniform(~std::uint64_t{0} - j);

  const double x_bytes = 8.0 * static_cast<double>(n) * static_cast<double>(d);  // over all ranks
  PetscCall(PetscPrintf(
      comm, "bench_gradient (msopt): N=%" PetscInt_FMT " d=%" PetscInt_FMT " ranks=%d reps=%" PetscInt_FMT "\n", n, d,
      size, reps));
  PetscCall(PetscPrintf(comm, "  X: %.1f MB over all ranks; one pass over X = N*d*8 bytes; rank 0 on huge pages: %.0f MB\n",
                        x_bytes / 1e6, bench::huge_page_mb()));

  // Main measurement: the two read kernels and the gradient interleaved, after one warm-up of each.
  double checksum = 0, value = 0;
  std::vector<double> t_plain, t_prefetched, t_grad;
  int prefetch_ranks = 0;
  double with_s = 0, without_s = 0;
  {
    msopt::QuadraticLeastSquares objective(data);
    auto plain = [&] { checksum += bench::read_sum(data.X.data(), data.X.size(), false); };
    auto prefetched = [&] { checksum += bench::read_sum(data.X.data(), data.X.size(), true); };
    auto gradient = [&] { value += objective.value_and_gradient(w.data(), grad.data()); };
    timed(comm, plain);
    timed(comm, prefetched);
    timed(comm, gradient);
    for (PetscInt r = 0; r < reps; ++r) {
      t_plain.push_back(timed(comm, plain));
      t_prefetched.push_back(timed(comm, prefetched));
      t_grad.push_back(timed(comm, gradient));
    }
    // The software prefetch the objective chose by timing its first passes (TimedChoice).
    const msopt::TimedChoice& choice = objective.prefetch();
    const int on = choice.second() ? 1 : 0;
    MPI_Allreduce(&on, &prefetch_ranks, 1, MPI_INT, MPI_SUM, comm);
    with_s = choice.best(true);
    without_s = choice.best(false);
  }
  const Stats sp = stats(t_plain), sq = stats(t_prefetched), sg = stats(t_grad);
  const Stats& sr = sq.median < sp.median ? sq : sp;  // the machine's read bandwidth: the faster kernel
  const double read_gbs = x_bytes / sr.median / 1e9, eff_gbs = x_bytes / sg.median / 1e9;
  PetscCall(PetscPrintf(comm, "  read kernel (sum of X)  median %.5f s  min %.5f s  %7.2f GB/s median  %7.2f GB/s best\n",
                        sp.median, sp.min, x_bytes / sp.median / 1e9, x_bytes / sp.min / 1e9));
  PetscCall(PetscPrintf(comm,
                        "  same, lines requested 4 kB ahead  median %.5f s  min %.5f s  %7.2f GB/s median  %7.2f GB/s best"
                        "  (the read bandwidth: the %s)\n",
                        sq.median, sq.min, x_bytes / sq.median / 1e9, x_bytes / sq.min / 1e9,
                        &sr == &sq ? "faster, this one" : "faster, the plain sum"));
  PetscCall(PetscPrintf(comm,
                        "  gradient                median %.5f s  min %.5f s  %7.2f GB/s effective (one pass over X)"
                        "  %5.1f%% of read bandwidth (best/best %5.1f%%)\n",
                        sg.median, sg.min, eff_gbs, 100.0 * eff_gbs / read_gbs, 100.0 * sr.min / sg.min));
  PetscCall(PetscPrintf(comm,
                        "  software prefetch in the gradient: on at %d of %d ranks (chosen by timing its first passes;"
                        " rank 0's best %.5f s with, %.5f s without)\n",
                        prefetch_ranks, size, with_s, without_s));

  // Keeps the kernels from being optimised away; the values mean nothing.
  PetscCall(PetscPrintf(comm, "  checksums: %.6e %.6e\n", checksum, value));
  PetscCall(
      PetscPrintf(comm,
                  "RESULT impl=msopt ranks=%d grad_median_s=%.6f grad_min_s=%.6f read_median_s=%.6f read_min_s=%.6f"
                  " read_gbs=%.3f eff_gbs=%.3f frac_read=%.4f plain_read_gbs=%.3f prefetch_ranks=%d\n",
                  size, sg.median, sg.min, sr.median, sr.min, read_gbs, eff_gbs, eff_gbs / read_gbs,
                  x_bytes / sp.median / 1e9, prefetch_ranks));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::bench_main(argc, argv, help, "bench_gradient", run);
}
