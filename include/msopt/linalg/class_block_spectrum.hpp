// The spectrum of a softmax Hessian from its class blocks: the diagonal
// blocks Pi_c H Pi_c^T of class c's parameters (w_c, b_c), whose coupling
// Theorem 3.11 (MrGD paper) bounds by delta. Each block is a weighted data
// covariance (1/N) sum_i p_ic (1 - p_ic) x~_i x~_i^T, so for PCA-aligned
// data its eigenvalues follow the data's principal values (Section 2.1):
// the multiscale structure MrGD's rates are cut from. d+1 = 785 per block
// for Fashion-MNIST instead of 7850 Hessian-vector products for the whole.
#pragma once
#include <vector>

#include "msopt/models/softmax_regression.hpp"

namespace msopt {

// Collective: the eigenvalues of all class blocks together, descending. The
// blocks are formed together (one reduction each); their eigenproblems are
// shared out over the ranks (SLEPc LAPACK on a sequential dense matrix) and
// the results gathered, so every rank returns the same values.
std::vector<double> class_block_eigenvalues(SoftmaxRegression& model, const std::vector<double>& theta);

}  // namespace msopt
