#include "msopt/mgdl/blur_operator.hpp"

#include <cmath>
#include <sstream>

#include "msopt/core/error.hpp"

namespace msopt {

void check_blur_sigma(double sigma_hat) {
  if (std::isfinite(sigma_hat) && sigma_hat == std::floor(sigma_hat) && sigma_hat >= 1 &&
      sigma_hat <= static_cast<double>(kMaxBlurSigma))
    return;
  std::ostringstream text;
  text << "the blur sigma-hat must be an integer in [1, " << kMaxBlurSigma
       << "] (pixels; kernel size 6*sigma+1; the paper uses 3, 5, 7), got " << sigma_hat;
  throw Error(text.str());
}

std::vector<double> gaussian_kernel_1d(PetscInt sigma_hat) {
  check_blur_sigma(static_cast<double>(sigma_hat));
  const PetscInt radius = 3 * sigma_hat;
  std::vector<double> g(static_cast<size_t>(2 * radius + 1));
  double sum = 0;
  for (PetscInt k = -radius; k <= radius; ++k)
    sum += g[k + radius] = std::exp(-static_cast<double>(k * k) / (2.0 * sigma_hat * sigma_hat));
  for (double& w : g) w /= sum;
  return g;
}

PetscInt reflect_index(PetscInt k, PetscInt n) {
  const PetscInt period = 2 * n;  // the mirrored signal repeats every 2n samples
  k %= period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

MatHandle create_blur_operator(MPI_Comm comm, const ImageGrid& grid, PetscInt sigma_hat) {
  require(grid.height >= 1 && grid.width >= 1, "the blur operator needs a non-empty image");
  const std::vector<double> g = gaussian_kernel_1d(sigma_hat);
  const PetscInt radius = 3 * sigma_hat, H = grid.height, W = grid.width;
  // (K f)[r][c] = sum_{a,b} g[a] g[b] f[refl(r + a)][refl(c + b)], a, b in [-3s, 3s].
  return create_pixel_operator(comm, grid.pixels(), grid.pixels(), [&](PetscInt p, PixelRow& row) {
    const PetscInt r = p / W, c = p % W;
    for (PetscInt a = -radius; a <= radius; ++a) {
      const PetscInt rr = reflect_index(r + a, H);
      for (PetscInt b = -radius; b <= radius; ++b)
        row.emplace_back(rr * W + reflect_index(c + b, W), g[a + radius] * g[b + radius]);
    }
  });
}

}  // namespace msopt
