// bench_softmax_spectrum: the nev largest Hessian eigenvalues of softmax
// regression through msopt's SLEPc path (Fashion-MNIST, d = 7850).
//
// The point: -gd_steps plain gradient steps of rate -gd_lr from zero (so the
// 9-fold degenerate eigenvalues of the zero point split). The operator is
// create_hessian_shell's MATSHELL (gather v, SoftmaxRegression::
// local_hessian_vector, reduce-scatter) with a counter around the local apply;
// the solve is compute_spectrum with method "largest" (Krylov-Schur,
// tolerance 1e-12, -spec_eps_* options apply). One warm-up H v, then -reps
// solves timed (slowest rank) and -reps x 10 single H v (MatMult) timed, each
// against a DGEMM timed beside it (around a solve, after an H v): the
// fractions of DGEMM's rate are medians of these pairs, so that a VM whose
// speed drifts within the run compares rates of the same moment.
// Beside the fraction of the DGEMM rate it prints the roofline of one H v
// (the read bandwidth measured in the same run, X read once per H v) and the
// fraction of the lower bound; then the same H v's rate on rows in cache and
// the time of reading X and then computing, one after the other, and (with
// the fused kernel) the time of a loop that overlaps the same compute time and
// read with nothing depending on the data (overlap_yardstick.hpp). -out FILE
// writes /parameters (the point) and /eigenvalues (HDF5) for
// bench/scipy_softmax_spectrum.py.
//
//   mpiexec -n 2 build/bench/bench_softmax_spectrum -data_file build/bench-data/fashion_train.h5 -nev 20
//
// The last line, starting with RESULT, is parsed by bench/run_mlp_softmax_bench.sh.
#include <slepceps.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

#include "bench_common.hpp"
#include "overlap_yardstick.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/handles.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/linalg/operators.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/models/softmax_hessian_kernels.hpp"
#include "msopt/models/softmax_regression.hpp"

static const char help[] =
    "Largest Hessian eigenvalues of softmax regression with SLEPc.\n"
    "  -data_file <f>  HDF5 dataset (/X, /y), required\n"
    "  -classes <k>    classes (default 10)\n"
    "  -gd_steps <n>   gradient steps from zero to the point (default 20)\n"
    "  -gd_lr <r>      their rate (default 0.1)\n"
    "  -nev <n>        eigenvalues (default 20)\n"
    "  -reps <r>       timed solves (default 3)\n"
    "  -out <f>        write /parameters and /eigenvalues to this HDF5 file\n";

namespace {

// Local rows of the in-cache measurement: a multiple of the fused kernel's block
// that fills 60 % of the L2 (192 x 784 doubles, 1.2 MB, in a 2 MB L2; 96 in
// the 1 MB L2 of an AMD Zen 5, where 192 rows spilled and the rate fell from
// 84 % to 68 % of DGEMM's), at most the local rows; an L2 of unknown size
// counts as 1 MB.
PetscInt cached_rows(const msopt::Dataset& data) {
  const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  const double bytes = 0.6 * static_cast<double>(l2 > 0 ? l2 : 1L << 20);
  const PetscInt block = msopt::kSoftmaxFusedBlockRows;
  const PetscInt fit = static_cast<PetscInt>(bytes / (8.0 * static_cast<double>(data.dim))) / block * block;
  return std::min(std::max(block, fit), data.rows.count);
}

// GFLOP/s per rank of SoftmaxRegression::local_hessian_vector at `point` on
// the first `rows` local rows, copied into a data set of their own
// (MPI_COMM_SELF) and applied until about as many rows as the local X are
// done, 5 times after a warm-up (median). Every rank measures at once.
double cached_hessian_vector_gflops(MPI_Comm comm, const msopt::Dataset& data, PetscInt rows, int classes,
                                    const std::vector<double>& point) {
  msopt::Dataset head;
  head.comm = MPI_COMM_SELF;
  head.dim = data.dim;
  head.n_global = rows;
  head.rows = {0, head.n_global};
  head.X.assign(data.X.begin(), data.X.begin() + head.n_global * data.dim);
  head.y.assign(data.y.begin(), data.y.begin() + head.n_global);
  msopt::SoftmaxRegression model(head, classes);
  std::vector<double> v(point.size(), 1.0), partial(point.size());
  const long reps = std::max<long>(1, data.rows.count / head.n_global);
  auto apply = [&] {
    for (long r = 0; r < reps; ++r) model.local_hessian_vector(point.data(), v.data(), partial.data());
  };
  bench::timed(comm, apply);
  std::vector<double> t;
  for (int r = 0; r < 5; ++r) t.push_back(bench::timed(comm, apply));
  return 1e-9 * model.local_hessian_vector_flops() * static_cast<double>(reps) / bench::stats(t).median;
}

PetscErrorCode run(MPI_Comm comm, int* status) {
  *status = 0;
  char data_file[PETSC_MAX_PATH_LEN] = "", out[PETSC_MAX_PATH_LEN] = "";
  PetscInt classes = 10, gd_steps = 20, nev = 20, reps = 3;
  PetscReal gd_lr = 0.1;
  PetscBool has_data = PETSC_FALSE;
  PetscCall(PetscOptionsGetString(nullptr, nullptr, "-data_file", data_file, sizeof data_file, &has_data));
  PetscCall(PetscOptionsGetString(nullptr, nullptr, "-out", out, sizeof out, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-classes", &classes, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-gd_steps", &gd_steps, nullptr));
  PetscCall(PetscOptionsGetReal(nullptr, nullptr, "-gd_lr", &gd_lr, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-nev", &nev, nullptr));
  PetscCall(PetscOptionsGetInt(nullptr, nullptr, "-reps", &reps, nullptr));
  const char* bad = nullptr;
  if (!has_data) bad = "-data_file is required";
  else if (classes < 2 || gd_steps < 0 || nev < 1 || reps < 1) bad = "-classes >= 2, -gd_steps >= 0, -nev >= 1, -reps >= 1";
  if (bad) {
    PetscCall(PetscPrintf(comm, "bench_softmax_spectrum: %s\n", bad));
    *status = 1;
    return 0;
  }
  int size = 1;
  MPI_Comm_size(comm, &size);

  const msopt::Dataset data = msopt::read_dataset(data_file, comm);
  msopt::SoftmaxRegression model(data, static_cast<int>(classes));
  const PetscInt d = model.dim();
  std::vector<double> point(d, 0.0), grad(d);
  double loss = 0;
  for (PetscInt s = 0; s < gd_steps; ++s) {
    loss = model.value_and_gradient(point.data(), grad.data());
    for (PetscInt j = 0; j < d; ++j) point[j] -= gd_lr * grad[j];
  }
  loss = model.value_and_gradient(point.data(), grad.data());
  PetscCall(PetscPrintf(comm,
                        "bench_softmax_spectrum (msopt/SLEPc): softmax regression d=%" PetscInt_FMT " N=%" PetscInt_FMT
                        " ranks=%d, point after %" PetscInt_FMT " GD steps of %g (loss %.6f), nev=%" PetscInt_FMT
                        " reps=%" PetscInt_FMT "\n",
                        d, data.n_global, size, gd_steps, static_cast<double>(gd_lr), loss, nev, reps));

  // create_hessian_shell's operator, with a count of the applications.
  long applications = 0;
  msopt::MatHandle H = msopt::create_replicated_shell(
      comm, d,
      [&model, &point, &applications](const double* v, double* partial) {
        ++applications;
        model.local_hessian_vector(point.data(), v, partial);
      },
      model.local_hessian_vector_flops());
  msopt::VecHandle x, y;
  PetscCall(MatCreateVecs(H, x.out(), y.out()));
  PetscCall(VecSet(x, 1.0));
  PetscCall(MatMult(H, x, y));  // warm-up

  msopt::SpectrumSettings settings;
  settings.method = "largest";
  settings.nev = nev;
  msopt::Spectrum spectrum;
  std::vector<double> t_solve, t_mult, paired_solve, paired_hv;
  long per_solve = 0;
  const double hv_gflop = 1e-9 * model.local_hessian_vector_flops();
  // Each solve against the DGEMM rate timed just before and after it, each
  // H v against one timed right after it: fractions of one moment's rate.
  bench::DgemmProbe probe(1000, 1000, 1000);
  probe.seconds(comm);
  for (PetscInt r = 0; r < reps; ++r) {
    applications = 0;
    const double before = probe.seconds(comm);
    t_solve.push_back(bench::timed(comm, [&] { spectrum = msopt::compute_spectrum(H, settings); }));
    const double after = probe.seconds(comm);
    per_solve = applications;
    paired_solve.push_back(hv_gflop * per_solve / t_solve.back() / (2 * probe.gflop() / (before + after)));
    for (int k = 0; k < 10; ++k) {
      t_mult.push_back(bench::timed(comm, [&] { MatMult(H, x, y); }));
      paired_hv.push_back(hv_gflop / t_mult.back() / (probe.gflop() / probe.seconds(comm)));
    }
  }
  const bench::Stats ss = bench::stats(t_solve), sm = bench::stats(t_mult);
  // Per rank: the solve's H v flops over its time (SLEPc's own work counts as time, not flops).
  const bench::DgemmRate dgemm = bench::dgemm_rate(comm);
  const double frac_solve = bench::stats(paired_solve).median, frac_solve_best = hv_gflop * per_solve / ss.min / dgemm.best,
               frac_hv = bench::stats(paired_hv).median;
  // Roofline of one H v per rank. Its products are thin (k columns), so they
  // might be bound by memory rather than by the DGEMM rate: X is read from
  // memory once per H v (the second product re-reads a block of at most 64
  // rows from cache), 4 k flops per 8 bytes, against the read bandwidth
  // measured here like bench_gradient's (sums over the local X, all ranks at
  // once, with and without software prefetch, 5 times each after a warm-up:
  // the faster). The bound is the lower of the two rates.
  double checksum = 0;
  std::vector<double> t_read[2];
  for (int r = 0; r < 6; ++r)
    for (bool prefetch : {false, true}) {
      const double t = bench::timed(comm, [&] { checksum += bench::read_sum(data.X.data(), data.X.size(), prefetch); });
      if (r > 0) t_read[prefetch].push_back(t);
    }
  const bench::Stats sr = std::min(bench::stats(t_read[0]), bench::stats(t_read[1]),
                                   [](const bench::Stats& a, const bench::Stats& b) { return a.median < b.median; });
  const double x_gb = 8e-9 * static_cast<double>(data.X.size()), read_gbs = x_gb / sr.median,
               intensity = hv_gflop / x_gb, bw_bound = intensity * read_gbs,
               bound = std::min(dgemm.median, bw_bound), frac_bound_hv = hv_gflop / sm.median / bound;
  // The rate of the same H v on rows already in cache, and with it the time of
  // an H v that first reads X and then computes, without overlap of the two:
  // X's read time + its flops at the in-cache rate. One H v near that time
  // means memory and compute run one after the other.
  const PetscInt cached = cached_rows(data);
  const double cached_gflops = cached_hessian_vector_gflops(comm, data, cached, static_cast<int>(classes), point);
  const double read_s = x_gb / read_gbs, compute_s = hv_gflop / cached_gflops, serial_s = read_s + compute_s,
               target_s = hv_gflop / (0.7 * dgemm.median),
               overlap_needed = (serial_s - target_s) / std::min(read_s, compute_s);
  // The fused kernel's overlap against a loop that has the same compute time
  // and prefetch stream but no dependence on the data (overlap_yardstick.hpp).
  bench::Overlap yardstick;
  if (msopt::softmax_fused_kernel_available())
    yardstick = bench::overlap_yardstick(comm, data.X.data(), data.X.size(),
                                         static_cast<std::size_t>(msopt::kSoftmaxFusedBlockRows * data.dim) / 8,
                                         static_cast<std::size_t>(msopt::kSoftmaxFusedPrefetchLeadRows * data.dim) / 8,
                                         compute_s);
  const auto& e = spectrum.eigenvalues;
  PetscCall(PetscPrintf(comm, "  eigenvalues (largest first):"));
  for (std::size_t k = 0; k < e.size(); ++k) PetscCall(PetscPrintf(comm, "%s %.12e", k % 4 ? "" : "\n   ", e[k]));
  PetscCall(PetscPrintf(comm, "\n"));
  PetscCall(bench::print_dgemm_rate(comm, dgemm));
  PetscCall(PetscPrintf(comm,
                        "  solve      median %.4f s  min %.4f s  (%ld H v per solve; %.1f%% of DGEMM's rate timed around each"
                        " solve, median; best/best %.1f%%)\n",
                        ss.median, ss.min, per_solve, 100 * frac_solve, 100 * frac_solve_best));
  PetscCall(PetscPrintf(comm,
                        "  one H v    median %.5f s  min %.5f s  (H v time per solve %.1f%%; %.1f%% of DGEMM's rate timed after"
                        " each, median)\n",
                        sm.median, sm.min, 100.0 * per_solve * sm.median / ss.median, 100 * frac_hv));
  PetscCall(PetscPrintf(comm,
                        "  roofline   per rank: X %.1f MB (rank 0 on huge pages: %.0f MB) read at %.2f GB/s (the faster read sum, median; read"
                        " checksum %.3e), %.2f flop/byte"
                        " -> bandwidth bound %.1f GFLOP/s; DGEMM %.1f GFLOP/s; bound: %s\n"
                        "  roofline   one H v at %.1f GFLOP/s per rank = %.1f%% of the bound\n",
                        1e3 * x_gb, bench::huge_page_mb(), read_gbs, checksum, intensity, bw_bound, dgemm.median,
                        bw_bound < dgemm.median ? "memory" : "compute (the DGEMM rate)", hv_gflop / sm.median,
                        100 * frac_bound_hv));
  PetscCall(PetscPrintf(comm,
                        "  in cache   the same H v on the first %d local rows (in L2): %.1f GFLOP/s per rank = %.1f%% of"
                        " DGEMM's rate\n"
                        "  serial     reading X (%.4f s) then computing from cache (%.4f s) = %.4f s; one H v takes"
                        " %.1f%% of that (100%%: no overlap of memory and compute)\n"
                        "  serial     70%% of DGEMM's rate needs one H v in %.4f s: the read and the compute overlapping"
                        " for %.0f%% of the shorter\n",
                        static_cast<int>(cached), cached_gflops, 100 * cached_gflops / dgemm.median, read_s, compute_s,
                        serial_s,
                        100 * sm.median / serial_s, target_s, 100 * overlap_needed));
  if (yardstick.overlap_s > 0)
    PetscCall(PetscPrintf(comm,
                          "  overlap    register-only FMAs for %.4f s streaming X as the fused kernel does (%d rows"
                          " prefetched into L2 from %d rows ahead, then read from cache): %.4f s; one H v takes %.1f%%"
                          " of that\n",
                          yardstick.compute_s, static_cast<int>(msopt::kSoftmaxFusedBlockRows),
                          static_cast<int>(msopt::kSoftmaxFusedPrefetchLeadRows), yardstick.overlap_s,
                          100 * sm.median / yardstick.overlap_s));
  if (out[0]) {
    msopt::H5File file = msopt::H5File::create_atomic(out, comm);
    file.write_array("parameters", point);
    file.write_array("eigenvalues", e);
    file.write_attribute("classes", std::vector<double>{static_cast<double>(classes)});
    file.commit();
    PetscCall(PetscPrintf(comm, "  wrote %s\n", out));
  }
  // The fused kernel is msopt's own AVX-512 code: against an AVX2 DGEMM (a
  // kernel forced by OPENBLAS_CORETYPE, say) its fractions of DGEMM's rate
  // compare two instruction sets, not the kernel's efficiency.
  const std::string fused_isa = msopt::softmax_fused_kernel_available() ? "AVX-512" : "none",
                    dgemm_isa = msopt::blas::kernel_isa(dgemm.kernel);
  if (fused_isa == "AVX-512" && dgemm_isa != "AVX-512")
    PetscCall(PetscPrintf(comm,
                          "  yardstick  msopt's fused H v runs AVX-512, OpenBLAS's '%s' DGEMM %s: the fractions of"
                          " DGEMM's rate above compare instruction sets; MSOPT_BLAS_CORETYPE=SkylakeX"
                          " (bench/run_mlp_softmax_bench.sh) measures against an AVX-512 DGEMM\n",
                          dgemm.kernel.c_str(), dgemm_isa.c_str()));
  PetscCall(PetscPrintf(
      comm,
      "RESULT impl=slepc ranks=%d nev=%" PetscInt_FMT
      " solve_median_s=%.6f solve_min_s=%.6f matvecs=%ld matvec_s=%.6f lambda_max=%.12e"
      " lambda_min=%.12e kernel=%s dgemm_gflops=%.3f frac_dgemm=%.4f frac_dgemm_best=%.4f frac_dgemm_hv=%.4f"
      " read_gbs=%.3f bw_bound_gflops=%.3f frac_bound_hv=%.4f cached_gflops=%.3f serial_s=%.6f overlap_s=%.6f"
      " fused_isa=%s dgemm_isa=%s\n",
      size, nev, ss.median, ss.min, per_solve, sm.median, e.front(), e.back(), dgemm.kernel.c_str(), dgemm.median,
      frac_solve, frac_solve_best, frac_hv, read_gbs, bw_bound, frac_bound_hv, cached_gflops, serial_s, yardstick.overlap_s,
      fused_isa.c_str(), dgemm_isa.c_str()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::bench_main(argc, argv, help, "bench_softmax_spectrum", run);
}
