// blas_check: the OpenBLAS kernel this process gets (OPENBLAS_CORETYPE as
// found in the environment) against Debian's reference BLAS on small DGEMM
// and DGEMV products. scripts/blas_coretype.sh runs it before a kernel chosen
// with MSOPT_BLAS_CORETYPE is used. One line; exit 0 when they agree to
// 1e-12 relative, 1 otherwise.
//
//   OPENBLAS_CORETYPE=SkylakeX build/bench/blas_check [reference libblas.so.3]
#include <strings.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "msopt/core/blas_kernel.hpp"

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: blas_check [reference libblas.so.3]\n");
    return 1;
  }
  // OpenBLAS ignores a name it does not know (or a kernel this CPU cannot run) without a word.
  const char* wanted = std::getenv("OPENBLAS_CORETYPE");
  const std::string got = msopt::blas::corename();
  if (wanted && *wanted && strcasecmp(wanted, got.c_str()) != 0) {
    std::fprintf(stderr, "blas_check: OPENBLAS_CORETYPE=%s is not a kernel OpenBLAS runs on this CPU (it runs '%s')\n",
                 wanted, got.c_str());
    return 1;
  }
  const char* reference = argc == 2 ? argv[1] : "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";
  const msopt::blas::CheckResult r = msopt::blas::check_against_reference(reference);
  std::fprintf(r.ok ? stdout : stderr, "blas_check: %s\n", r.message.c_str());
  return r.ok ? 0 : 1;
}
