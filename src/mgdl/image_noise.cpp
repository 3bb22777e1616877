#include "msopt/mgdl/image_noise.hpp"

#include <cmath>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/mgdl/image_grid.hpp"

namespace msopt {

namespace {

constexpr std::uint32_t kNoiseStream = 0x4e4f4953u;  // "NOIS"

}  // namespace

void check_noise_sigma(double sigma_255) {
  if (std::isfinite(sigma_255) && sigma_255 >= 0 && sigma_255 <= kMaxNoiseSigma) return;
  std::ostringstream text;
  text << "the noise sigma must lie in [0, " << kMaxNoiseSigma
       << "] (0-255 intensity scale; the paper uses 10..60 and 3), got " << sigma_255;
  throw Error(text.str());
}

double pixel_noise(double sigma_255, std::uint64_t seed, PetscInt i) {
  const CounterRng rng(seed);
  return sigma_255 / 255.0 * rng.normal2(kNoiseStream, static_cast<std::uint64_t>(i), 0)[0];
}

void add_gaussian_noise(Vec f, double sigma_255, std::uint64_t seed) {
  check_noise_sigma(sigma_255);
  PetscInt begin = 0, end = 0;
  MSOPT_PETSC(VecGetOwnershipRange(f, &begin, &end));
  PetscScalar* x = nullptr;
  MSOPT_PETSC(VecGetArray(f, &x));
  for (PetscInt i = begin; i < end; ++i) x[i - begin] += pixel_noise(sigma_255, seed, i);
  MSOPT_PETSC(VecRestoreArray(f, &x));
}

VecHandle observe_image(const Dataset& clean, Mat A, double sigma_255, std::uint64_t seed) {
  check_noise_sigma(sigma_255);
  VecHandle f = pixel_vec_from_targets(clean);
  if (A) {
    VecHandle blurred;
    MSOPT_PETSC(VecDuplicate(f, blurred.out()));
    MSOPT_PETSC(MatMult(A, f, blurred));
    f = std::move(blurred);
  }
  add_gaussian_noise(f, sigma_255, seed);
  return f;
}

}  // namespace msopt
