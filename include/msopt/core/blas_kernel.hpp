// The BLAS kernel in use. Debian 12's OpenBLAS 0.3.21 falls back to generic
// kernels (Prescott, Nehalem, ...) on CPUs it does not recognise, 3.5x slower
// on dense products, without a word: msopt names the kernel in its timing
// output and benchmarks, and warns once with the OPENBLAS_CORETYPE to export.
// Choosing the kernel stays the user's opt-in (scripts/env.sh,
// MSOPT_BLAS_CORETYPE): some CPUs need a forced kernel because newer ones
// compute wrong results there, so msopt never sets it itself.
#pragma once
#include <mpi.h>

#include <cstddef>
#include <string>

namespace msopt::blas {

struct CpuFlags {
  bool avx2 = false, fma = false, avx512f = false;
};

// This CPU's flags (and the OS's support for their registers).
CpuFlags cpu_flags();

// openblas_get_corename() of the BLAS this process uses, or "not OpenBLAS".
std::string corename();

struct Advice {
  std::string coretype;  // OPENBLAS_CORETYPE to suggest, "" when the kernel is fine
  std::string warning;   // the one-line warning, "" when there is none
};

// Pure: whether `corename` is a generic fallback on a CPU with `flags`. A
// kernel forced through OPENBLAS_CORETYPE and in use (`forced` names
// `corename`) is the user's choice and never warned about; a force that did
// not take (OpenBLAS runs another kernel) is named in the warning.
Advice advise(const std::string& corename, const CpuFlags& flags, const std::string& forced);

// The widest vector instructions of an OpenBLAS x86_64 kernel: "AVX-512"
// (SkylakeX, Cooperlake, SapphireRapids), "AVX2" (Haswell, Zen, Excavator),
// "SSE" (the generic fallbacks of advise()); "unknown" for other names.
std::string kernel_isa(const std::string& corename);

// The warning of advise() for this process, if any: one line to stderr by
// rank 0 of `comm`, once per run.
void warn_if_fallback(MPI_Comm comm);

// max |a_i - b_i| / max |b_i|: a norm-wise relative difference.
double relative_difference(const double* a, const double* b, std::size_t n);

struct CheckResult {
  bool ok = false;
  double worst = 0;     // largest relative difference seen
  std::string message;  // one line: what was compared, or why it failed
};

// DGEMM (NN, TN, NT) and DGEMV (N, T) on a few random small sizes, this
// process's BLAS against the reference BLAS at `reference_path` (dlopen'ed),
// within `tolerance` relative.
CheckResult check_against_reference(const std::string& reference_path, double tolerance = 1e-12);

}  // namespace msopt::blas
