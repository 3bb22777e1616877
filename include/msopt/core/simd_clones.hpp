// MSOPT_SIMD_CLONES: build a hot loop's function three times, for AVX-512,
// AVX2 and the x86-64 baseline (GCC's target_clones); the loader picks the
// widest copy the CPU runs, and -march stays unset: CI machines differ. The
// AVX-512 copy may contract a*b+c into FMA, the others cannot: results agree
// across CPUs to rounding, not bit for bit (as OpenBLAS's kernels do). Not
// under clang's libFuzzer/sanitizer instrumentation nor GCC's ASan: their
// ifunc resolver runs before the sanitizer runtime is up and the program dies
// at start-up.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define MSOPT_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MSOPT_SIMD_CLONES
#endif
