#include <gtest/gtest.h>

#include <vector>

#include "msopt/core/blas_kernel.hpp"

using namespace msopt::blas;

namespace {
const char kReference[] = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";  // Debian's libblas3
}

TEST(BlasKernel, GenericKernelOnAvx512CpuSuggestsSkylakeX) {
  const Advice a = advise("Prescott", {true, true, true}, "");
  EXPECT_EQ(a.coretype, "SkylakeX");
  EXPECT_EQ(a.warning,
            "msopt: warning: OpenBLAS uses its generic 'Prescott' kernel on a CPU with AVX-512; export "
            "OPENBLAS_CORETYPE=SkylakeX (or MSOPT_BLAS_CORETYPE=SkylakeX with scripts/env.sh) for ~3.5x faster "
            "dense kernels");
}

TEST(BlasKernel, GenericKernelOnAvx2CpuSuggestsHaswell) {
  for (const char* name : {"Nehalem", "CORE2", "atom", "Sandybridge", "Unknown"}) {
    const Advice a = advise(name, {true, true, false}, "");
    EXPECT_EQ(a.coretype, "Haswell") << name;
    EXPECT_NE(a.warning.find("CPU with AVX2; export OPENBLAS_CORETYPE=Haswell"), std::string::npos) << a.warning;
  }
}

TEST(BlasKernel, NoWarningWhenKernelFitsOrWasChosen) {
  for (const char* name : {"Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Excavator", "not OpenBLAS"})
    EXPECT_TRUE(advise(name, {true, true, true}, "").warning.empty()) << name;
  EXPECT_TRUE(advise("Prescott", {false, false, false}, "").warning.empty());  // the CPU can do no better
  EXPECT_TRUE(advise("Prescott", {true, false, false}, "").warning.empty());   // AVX2 without FMA: no Haswell kernel
  EXPECT_TRUE(advise("Prescott", {true, true, true}, "Prescott").warning.empty());  // forced by the user
  EXPECT_TRUE(advise("PRESCOTT", {true, true, true}, "prescott").warning.empty());
}

// OPENBLAS_CORETYPE names another kernel than the one in use: OpenBLAS did not
// know it, or was built without DYNAMIC_ARCH and ignores it.
TEST(BlasKernel, ForceThatDidNotTakeIsWarnedAbout) {
  const Advice a = advise("Prescott", {true, true, true}, "Haswell");
  EXPECT_EQ(a.coretype, "SkylakeX");
  EXPECT_NE(a.warning.find("export OPENBLAS_CORETYPE=SkylakeX"), std::string::npos) << a.warning;
  EXPECT_NE(a.warning.find("; OPENBLAS_CORETYPE=Haswell did not take"), std::string::npos) << a.warning;
  EXPECT_TRUE(advise("Haswell", {true, true, true}, "SkylakeX").warning.empty());  // not a fallback
}

TEST(BlasKernel, NamesEachKernelsVectorInstructions) {
  EXPECT_EQ(kernel_isa("SkylakeX"), "AVX-512");
  EXPECT_EQ(kernel_isa("COOPERLAKE"), "AVX-512");
  EXPECT_EQ(kernel_isa("Haswell"), "AVX2");
  EXPECT_EQ(kernel_isa("Zen"), "AVX2");
  EXPECT_EQ(kernel_isa("Prescott"), "SSE");
  EXPECT_EQ(kernel_isa("not OpenBLAS"), "unknown");
}

TEST(BlasKernel, ReportsOpenBlasCorename) {
  // msopt links Debian's OpenBLAS; the name is one of its kernels, never empty.
  const std::string name = corename();
  EXPECT_FALSE(name.empty());
  EXPECT_NE(name, "not OpenBLAS");
}

TEST(BlasKernel, RelativeDifferenceIsNormwise) {
  const std::vector<double> b = {4, -2, 0}, a = {4, -2, 1e-12};
  EXPECT_DOUBLE_EQ(relative_difference(a.data(), b.data(), 3), 0.25e-12);
  EXPECT_EQ(relative_difference(b.data(), b.data(), 3), 0.0);
}

TEST(BlasKernel, OwnKernelAgreesWithReference) {
  const CheckResult r = check_against_reference(kReference);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_LT(r.worst, 1e-13);
  EXPECT_NE(r.message.find("agrees with the reference BLAS"), std::string::npos) << r.message;
}

TEST(BlasKernel, CheckFailsBeyondTolerance) {
  // A tolerance no rounding meets stands in for a wrong kernel.
  const CheckResult r = check_against_reference(kReference, 0.0);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("DIFFERS from the reference BLAS"), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find('\n'), std::string::npos);
}

TEST(BlasKernel, MissingReferenceIsOneLine) {
  const CheckResult r = check_against_reference("/nonexistent/libblas.so.3");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "cannot load the reference BLAS '/nonexistent/libblas.so.3' (Debian: apt-get install libblas3)");
}
