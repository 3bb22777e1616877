// The auxiliary-variable update of the MGDL paper's TV reconstruction
// (Appendix C, eq. (20)):
//   u^{k+1} = prox_{alpha lambda / beta ||.||_1}(alpha B g^k + (1 - alpha) u^k),
// the proximity operator of t ||.||_1 being soft thresholding
//   prox(x)_i = sign(x_i) max(|x_i| - t, 0).
#pragma once
#include <petscvec.h>

namespace msopt {

// Weights of L(Theta, u) = 1/2 ||f_hat - A g||^2 + beta/2 ||u - B g||^2 +
// lambda ||u||_1 (eqs. (22)/(24)) and the step alpha of eq. (20). The paper
// does not give values; alpha = 1 makes (20) the exact minimiser over u.
struct TvParameters {
  double lambda = 0.0;  // >= 0
  double beta = 1.0;    // > 0
  double alpha = 1.0;   // in (0, 1]
  // Throws msopt::Error naming the first parameter out of range.
  void check() const;
};

// x <- prox_{t ||.||_1}(x), entrywise on the local part (t >= 0).
void soft_threshold(Vec x, double t);

// Eq. (20) in place: u <- prox_{alpha lambda / beta ||.||_1}(alpha Bg + (1 - alpha) u),
// Bg = B g^k with u's layout.
void tv_prox_step(Vec u, Vec Bg, const TvParameters& p);

}  // namespace msopt
