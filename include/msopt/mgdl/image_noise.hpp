// Observed images of the MGDL paper's denoising and deblurring tasks
// (Section 4, Appendix C): f_hat = A f + eps, eps_i ~ N(0, sigma^2) with
// sigma given on the 0-255 intensity scale (denoising: sigma = 10..60,
// deblurring: sigma = 3) and applied to [0, 1] data as sigma / 255.
// eps_i comes from msopt's counter-based generator and depends only on
// (seed, i), so the observation is the same on any number of ranks.
#pragma once
#include <cstdint>

#include "msopt/core/handles.hpp"
#include "msopt/data/dataset.hpp"

namespace msopt {

// Noise sigma (0-255 scale) must lie in [0, kMaxNoiseSigma].
constexpr double kMaxNoiseSigma = 255.0;

// Throws msopt::Error naming the parameter unless 0 <= sigma <= kMaxNoiseSigma.
void check_noise_sigma(double sigma_255);

// The noise of pixel i: sigma_255 / 255 times a standard normal of (seed, i).
double pixel_noise(double sigma_255, std::uint64_t seed, PetscInt i);

// Adds pixel_noise(sigma_255, seed, i) to every local entry i of f.
void add_gaussian_noise(Vec f, double sigma_255, std::uint64_t seed);

// Collective: f_hat = A f + eps for the clean image f = data.y (a pixel
// Dataset); A = nullptr is the identity (denoising).
VecHandle observe_image(const Dataset& clean, Mat A, double sigma_255, std::uint64_t seed);

}  // namespace msopt
