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
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "msopt/core/blas_kernel.hpp"
#include "msopt/core/huge_page_allocator.hpp"

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

// The read-bandwidth yardstick (bench_gradient, bench_softmax_spectrum): the
// sum of x[0..n), 16 independent accumulators in vectors of two (SSE2) so that
// the add latency never limits a memory-bound read. With `prefetch`, each
// cache line is also requested 4 kB before it is read: on an AVX-512 Xeon of
// model 167 the hardware prefetcher alone read 7.7 GB/s on one core, and 8.6
// with the requests (2026-12-03). The benchmarks time both and take the faster
// as the machine's read bandwidth.
inline double read_sum(const double* x, std::size_t n, bool prefetch) {
  typedef double Pair __attribute__((vector_size(16)));
  typedef double UnalignedPair __attribute__((vector_size(16), aligned(8)));
  constexpr std::size_t kAhead = 512;  // doubles: 4 kB
  Pair acc[8] = {};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    if (prefetch) {  // hints, which never fault: past the end too (addresses, not pointers, out there)
      const std::uintptr_t next = reinterpret_cast<std::uintptr_t>(x + i) + sizeof(double) * kAhead;
      __builtin_prefetch(reinterpret_cast<const void*>(next), 0, 3);
      __builtin_prefetch(reinterpret_cast<const void*>(next + 64), 0, 3);
    }
    for (int k = 0; k < 8; ++k) acc[k] += *reinterpret_cast<const UnalignedPair*>(x + i + 2 * k);
  }
  double s = 0;
  for (; i < n; ++i) s += x[i];
  for (const Pair& a : acc) s += a[0] + a[1];
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
// kernel and its DGEMM rate in GFLOP/s per rank (one thread each), m x n x k
// (n x n x n by default), every rank at once as in the benchmarks' own
// kernels, 5 times after a warm-up; a small product is repeated to about
// 2 GFLOP per timing. A benchmark's fraction of it is comparable across
// machines and kernels, which a bare time is not: median against median, and
// best against best (the machine's load only ever adds time).
struct DgemmRate {
  std::string kernel;
  int m = 0, n = 0, k = 0;
  double median = 0, best = 0;  // GFLOP/s
};

// One DGEMM m x n x k timing at a time, every rank at once (a small product
// repeated to about 2 GFLOP): dgemm_rate's five, or single ones between a
// benchmark's own timings, so that a fraction pairs two rates of one moment
// on a machine whose speed drifts (2x within an hour on some VMs).
class DgemmProbe {
 public:
  DgemmProbe(int m, int n, int k)
      : m_(m), n_(n), k_(k), a_(static_cast<std::size_t>(m) * k), b_(static_cast<std::size_t>(k) * n),
        c_(static_cast<std::size_t>(m) * n) {
    // Aligned like msopt's own operands: OpenBLAS's small-matrix kernels run a
    // quarter slower on operands that are not cache-line aligned.
    for (std::size_t i = 0; i < a_.size(); ++i) a_[i] = 1.0 + 1e-3 * static_cast<double>(i % 97);  // no denormals, no zeros
    for (std::size_t i = 0; i < b_.size(); ++i) b_[i] = 1.0 - 1e-3 * static_cast<double>(i % 89);
    const double flop = 2.0 * m * static_cast<double>(n) * k;
    repeat_ = static_cast<int>(std::max(1.0, std::ceil(2e9 / flop)));
    gflop_ = 1e-9 * flop * repeat_;
  }
  double gflop() const { return gflop_; }  // per timing
  double seconds(MPI_Comm comm) {
    const PetscBLASInt bm = m_, bn = n_, bk = k_;
    const double one = 1, zero = 0;
    return timed(comm, [&] {
      for (int r = 0; r < repeat_; ++r)
        BLASgemm_("N", "N", &bm, &bn, &bk, &one, a_.data(), &bm, b_.data(), &bk, &zero, c_.data(), &bm);
    });
  }

 private:
  int m_, n_, k_, repeat_ = 1;
  double gflop_ = 0;
  msopt::HugePageVector a_, b_, c_;
};

inline DgemmRate dgemm_rate(MPI_Comm comm, int m = 1000, int n = 0, int k = 0) {
  if (n == 0) n = m;
  if (k == 0) k = m;
  DgemmProbe probe(m, n, k);
  probe.seconds(comm);
  std::vector<double> t;
  for (int r = 0; r < 5; ++r) t.push_back(probe.seconds(comm));
  const Stats s = stats(t);
  return {msopt::blas::corename(), m, n, k, probe.gflop() / s.median, probe.gflop() / s.min};
}

// "  blas: ..." line of a benchmark's output.
inline PetscErrorCode print_dgemm_rate(MPI_Comm comm, const DgemmRate& r) {
  PetscCall(
      PetscPrintf(comm,
                  "  blas: OpenBLAS kernel '%s', DGEMM %dx%dx%d one thread per rank %.1f GFLOP/s median, %.1f best"
                  " (5 runs)\n",
                  r.kernel.c_str(), r.m, r.n, r.k, r.median, r.best));
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
