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

namespace msopt {

// Eight doubles as one GCC/clang vector (one zmm with AVX-512, two ymm with
// AVX2, four xmm otherwise), and the same at any 8-byte alignment: rows of a
// matrix whose width is not a multiple of 8 start anywhere in a cache line.
typedef double Lanes __attribute__((vector_size(64)));
typedef double UnalignedLanes __attribute__((vector_size(64), aligned(8)));

}  // namespace msopt
