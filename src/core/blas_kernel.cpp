#include "msopt/core/blas_kernel.hpp"

#include <dlfcn.h>
#include <petscsys.h>
// petscblaslapack.h needs petscsys.h first
#include <petscblaslapack.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace msopt::blas {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// OpenBLAS's x86_64 kernels below Haswell's: no AVX2/FMA code, what its CPU
// detection falls back to on a CPU it does not know (dynamic.c's corenames).
// Not Excavator: the right kernel for that AVX2 CPU, not a fallback.
bool generic(const std::string& corename) {
  static const char* const names[] = {"unknown",   "katmai",       "coppermine", "northwood",  "prescott",    "banias",
                                      "atom",      "core2",        "penryn",     "dunnington", "nehalem",     "athlon",
                                      "opteron",   "opteron_sse3", "barcelona",  "nano",       "sandybridge", "bobcat",
                                      "bulldozer", "piledriver",   "steamroller"};
  const std::string c = lower(corename);
  return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return c == n; });
}

using Dgemm = void (*)(const char*, const char*, const PetscBLASInt*, const PetscBLASInt*, const PetscBLASInt*,
                       const double*, const double*, const PetscBLASInt*, const double*, const PetscBLASInt*,
                       const double*, double*, const PetscBLASInt*);
using Dgemv = void (*)(const char*, const PetscBLASInt*, const PetscBLASInt*, const double*, const double*,
                       const PetscBLASInt*, const double*, const PetscBLASInt*, const double*, double*,
                       const PetscBLASInt*);

}  // namespace

CpuFlags cpu_flags() {
  __builtin_cpu_init();
  CpuFlags f;
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  return f;
}

std::string corename() {
  // Looked up at run time: another BLAS (reference, BLIS, MKL) just has no such symbol.
  using Fn = char* (*)();
  auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const char* name = fn ? fn() : nullptr;
  return name ? name : "not OpenBLAS";
}

Advice advise(const std::string& corename, const CpuFlags& flags, const std::string& forced) {
  Advice a;
  // A kernel the user forced and got is their choice. A force that did not take
  // (a name this OpenBLAS does not know, or a build without DYNAMIC_ARCH, which
  // ignores OPENBLAS_CORETYPE) leaves a fallback like any other.
  const bool chosen = !forced.empty() && lower(forced) == lower(corename);
  if (chosen || !generic(corename)) return a;
  if (flags.avx512f) a.coretype = "SkylakeX";
  else if (flags.avx2 && flags.fma) a.coretype = "Haswell";
  else return a;
  a.warning = "msopt: warning: OpenBLAS uses its generic '" + corename + "' kernel on a CPU with " +
              (flags.avx512f ? "AVX-512" : "AVX2") + "; export OPENBLAS_CORETYPE=" + a.coretype +
              " (or MSOPT_BLAS_CORETYPE=" + a.coretype + " with scripts/env.sh) for ~3.5x faster dense kernels" +
              (forced.empty() ? "" : "; OPENBLAS_CORETYPE=" + forced + " did not take");
  return a;
}

std::string kernel_isa(const std::string& corename) {
  const std::string c = lower(corename);
  if (c == "skylakex" || c == "cooperlake" || c == "sapphirerapids") return "AVX-512";
  if (c == "haswell" || c == "zen" || c == "excavator") return "AVX2";
  return generic(corename) ? "SSE" : "unknown";
}

void warn_if_fallback(MPI_Comm comm) {
  static bool warned = false;
  if (warned) return;
  warned = true;
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank != 0) return;
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  const Advice a = advise(corename(), cpu_flags(), forced ? forced : "");
  if (!a.warning.empty()) std::fprintf(stderr, "%s\n", a.warning.c_str());
}

double relative_difference(const double* a, const double* b, std::size_t n) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < n; ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return diff / std::max(scale, 1e-300);
}

CheckResult check_against_reference(const std::string& reference_path, double tolerance) {
  CheckResult r;
  // RTLD_LOCAL: the reference's dgemm_ never replaces the process's own.
  void* lib = dlopen(reference_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    r.message = "cannot load the reference BLAS '" + reference_path + "' (Debian: apt-get install libblas3)";
    return r;
  }
  auto ref_gemm = reinterpret_cast<Dgemm>(dlsym(lib, "dgemm_"));
  auto ref_gemv = reinterpret_cast<Dgemv>(dlsym(lib, "dgemv_"));
  if (!ref_gemm || !ref_gemv) {
    dlclose(lib);
    r.message = "'" + reference_path + "' has no dgemm_/dgemv_";
    return r;
  }
  std::mt19937_64 gen(12);
  std::uniform_real_distribution<double> u(-1, 1);
  auto random = [&](std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = u(gen);
    return v;
  };
  // Sizes from the tiny edge cases to blocks past OpenBLAS's small-matrix paths.
  const int sizes[][3] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {64, 64, 64}, {100, 37, 129}, {203, 150, 171}};
  const double one = 1, half = 0.5;
  const PetscBLASInt inc = 1;
  std::string worst_case;
  for (const auto& s : sizes) {
    const PetscBLASInt m = s[0], n = s[1], k = s[2];
    for (const char* t : {"NN", "TN", "NT"}) {
      const bool ta = t[0] == 'T', tb = t[1] == 'T';
      const PetscBLASInt lda = ta ? k : m, ldb = tb ? n : k;
      const auto a = random(static_cast<std::size_t>(m) * k), b = random(static_cast<std::size_t>(k) * n);
      auto c_own = random(static_cast<std::size_t>(m) * n), c_ref = c_own;
      BLASgemm_(t, t + 1, &m, &n, &k, &one, a.data(), &lda, b.data(), &ldb, &half, c_own.data(), &m);
      ref_gemm(t, t + 1, &m, &n, &k, &one, a.data(), &lda, b.data(), &ldb, &half, c_ref.data(), &m);
      const double d = relative_difference(c_own.data(), c_ref.data(), c_own.size());
      if (worst_case.empty() || d > r.worst)
        worst_case =
            "DGEMM " + std::string(t) + " " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
      r.worst = std::max(r.worst, d);
    }
    for (const char* t : {"N", "T"}) {
      const auto a = random(static_cast<std::size_t>(m) * n), x = random(static_cast<std::size_t>(std::max(m, n)));
      auto y_own = random(static_cast<std::size_t>(std::max(m, n))), y_ref = y_own;
      BLASgemv_(t, &m, &n, &one, a.data(), &m, x.data(), &inc, &half, y_own.data(), &inc);
      ref_gemv(t, &m, &n, &one, a.data(), &m, x.data(), &inc, &half, y_ref.data(), &inc);
      const double d = relative_difference(y_own.data(), y_ref.data(), y_own.size());
      if (d > r.worst) worst_case = "DGEMV " + std::string(t) + " " + std::to_string(m) + "x" + std::to_string(n);
      r.worst = std::max(r.worst, d);
    }
  }
  dlclose(lib);
  r.ok = r.worst <= tolerance;
  char line[256];
  std::snprintf(line, sizeof line,
                "OpenBLAS kernel '%s' %s the reference BLAS: relative difference %.1e (%s, tolerance %.0e)",
                corename().c_str(), r.ok ? "agrees with" : "DIFFERS from", r.worst, worst_case.c_str(), tolerance);
  r.message = line;
  return r;
}

}  // namespace msopt::blas
