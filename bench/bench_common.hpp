// Small helpers shared by the benchmarks: median/min of repeated timings, a
// barrier-timed call whose time is the slowest rank's, and their main().
#pragma once
#include <mpi.h>
#include <slepcsys.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <vector>

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
