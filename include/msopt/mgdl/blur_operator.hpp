// The Gaussian blurring operator A = K of the MGDL paper's deblurring task
// (Section 4, Appendix C: f_hat = K f + eps), as MATLAB's
// imfilter(f, fspecial('gaussian', 6*s+1, s), 'symmetric') computes it:
// correlation with the normalised (6 s + 1) x (6 s + 1) Gaussian kernel of
// standard deviation s = sigma_hat pixels, the image mirrored at its borders
// (d c b a | a b c d | d c b a, scipy.ndimage's mode 'reflect').
#pragma once
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/mgdl/image_grid.hpp"

namespace msopt {

// sigma_hat must be an integer in [1, kMaxBlurSigma] (the paper uses 3, 5, 7).
constexpr PetscInt kMaxBlurSigma = 16;

// Throws msopt::Error naming the parameter unless sigma_hat is allowed.
void check_blur_sigma(double sigma_hat);

// The 6 s + 1 weights exp(-k^2 / (2 s^2)), k = -3s..3s, normalised to sum 1
// (the 2-D kernel is their outer product).
std::vector<double> gaussian_kernel_1d(PetscInt sigma_hat);

// Index k of the symmetrically extended signal of length n, mapped into [0, n).
PetscInt reflect_index(PetscInt k, PetscInt n);

// Collective: the pixels x pixels MPIAIJ blur matrix over `grid`.
MatHandle create_blur_operator(MPI_Comm comm, const ImageGrid& grid, PetscInt sigma_hat);

}  // namespace msopt
