// Small helpers shared by the benchmarks: median/min of repeated timings, a
// barrier-timed call whose time is the slowest rank's, the BLAS kernel and
// its DGEMM rate, and their main().
#pragma once
#include <mpi.h>
#include <slepcsys.h>
// petscblaslapack.h needs petscsys.h first
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "msopt/core/blas_kernel.hpp"

namespace bench {

struct Stats {
  double median = 0, min = 0;
};

inline Stats stats(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  const std::size_t m = t.size();
  Stats s;
  if (m == 0) return s;
  s.min = t.front();
  s.median = (m % 2) ? t[m / 2] : 0.5 * (t[m / 2 - 1] + t[m / 2]);
  return s;
}

// Barrier, run f on every rank, return the slowest rank's time.
template <class F>
double timed(MPI_Comm comm, F&& f) {
  MPI_Barrier(comm);
  const double t0 = MPI_Wtime();
  f();
  double dt = MPI_Wtime() - t0, dt_max = 0;
  MPI_Allreduce(&dt, &dt_max, 1, MPI_DOUBLE, MPI_MAX, comm);
  return dt_max;
}

inline double norm2(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v * v;
  return std::sqrt(s);
}

// The read-bandwidth yardstick (bench_gradient, bench_softmax_spectrum).
// Sum of x[0..n): 16 independent accumulators (8 SSE2 registers) so that -O3 vectorises the
// inner loop and the add latency never limits a memory-bound read.
inline double read_sum(const double* x, std::size_t n) {
  constexpr std::size_t L = 16;
  double acc[L] = {};
  std::size_t i = 0;
  for (; i + L <= n; i += L)
    for (std::size_t k = 0; k < L; ++k) acc[k] += x[i + k];
  double s = 0;
  for (; i < n; ++i) s += x[i];
  for (double a : acc) s += a;
  return s;
}

// MB of this process's memory on transparent huge pages (AnonHugePages of
// /proc/self/smaps_rollup; 0 where unreadable): whether X, read once per
// gradient, streams without a TLB miss every 4 kB (HugePageAllocator).
inline double huge_page_mb() {
  std::ifstream rollup("/proc/self/smaps_rollup");
  std::string key;
  double kb = 0;
  while (rollup >> key)
    if (key == "AnonHugePages:" && rollup >> kb) return kb * 1024 / 1e6;
  return 0;
}

// The yardstick of the dense benchmarks: this process's BLAS
// kernel and its DGEMM rate in GFLOP/s per rank (one thread each), n x n x n,
// every rank at once as in the benchmarks' own kernels, 5 times after a
// warm-up. A benchmark's fraction of it is comparable across machines and
// kernels, which a bare time is not: median against median, and best against
// best (the machine's load only ever adds time).
struct DgemmRate {
  std::string kernel;
  int n = 0;
  double median = 0, best = 0;  // GFLOP/s
};

inline DgemmRate dgemm_rate(MPI_Comm comm, int n = 1000) {
  const PetscBLASInt m = n;
  std::vector<double> a(static_cast<std::size_t>(n) * n), b(a.size()), c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {  // any values; no denormals, no zeros
    a[i] = 1.0 + 1e-3 * static_cast<double>(i % 97);
    b[i] = 1.0 - 1e-3 * static_cast<double>(i % 89);
  }
  const double one = 1, zero = 0;
  auto gemm = [&] { BLASgemm_("N", "N", &m, &m, &m, &one, a.data(), &m, b.data(), &m, &zero, c.data(), &m); };
  timed(comm, gemm);
  std::vector<double> t;
  for (int r = 0; r < 5; ++r) t.push_back(timed(comm, gemm));
  const Stats s = stats(t);
  const double gflop = 2e-9 * n * static_cast<double>(n) * n;
  return {msopt::blas::corename(), n, gflop / s.median, gflop / s.min};
}

// "  blas: ..." line of a benchmark's output.
inline PetscErrorCode print_dgemm_rate(MPI_Comm comm, const DgemmRate& r) {
  PetscCall(
      PetscPrintf(comm,
                  "  blas: OpenBLAS kernel '%s', DGEMM %dx%dx%d one thread per rank %.1f GFLOP/s median, %.1f best"
                  " (5 runs)\n",
                  r.kernel.c_str(), r.n, r.n, r.n, r.median, r.best));
  return 0;
}

// main() of a benchmark: SLEPc (and PETSc) up, run(comm, &status) returning a
// PetscErrorCode, an exception on any rank ends the job with `name`'s message.
template <class Run>
int bench_main(int argc, char** argv, const char* help, const char* name, Run run) {
  PetscCall(SlepcInitialize(&argc, &argv, nullptr, help));
  int status = 0;
  try {
    PetscCall(run(PETSC_COMM_WORLD, &status));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    MPI_Abort(PETSC_COMM_WORLD, 1);
  }
  PetscCall(SlepcFinalize());
  return status;
}

}  // namespace bench
