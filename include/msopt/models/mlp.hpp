// A fully connected network (MrGD paper, Section 2.2, eq. (6)) as an
// Objective: value, full-batch gradient by backpropagation, and the exact
// Hessian-vector product by Pearlmutter's R-operator.
//
// Network, widths [d_in, h_1, ..., h_L, d_out] = [n_0, ..., n_{L+1}]:
//   a_0 = x,  z_l = W_l a_{l-1} + b_l,  a_l = sigma_l(z_l)  (l = 1..L),
//   f(x) = z_{L+1} = W_{L+1} a_L + b_{L+1}                (linear output).
// Unlike eq. (6), the output layer has a bias b_{L+1} too. L = 0 (widths of
// size 2) is plain linear / softmax regression.
//
// Losses, N = Dataset::n_global samples (x_i, y_i):
//   least squares   L = (1/N) sum_i 1/2 (f(x_i) - y_i)^2, needs d_out = 1
//                   (eq. (7) exactly: the constant is 1/(2N));
//   cross-entropy   L = (1/N) sum_i [log sum_k exp f_k(x_i) - f_{y_i}(x_i)],
//                   softmax over d_out = number of classes, y_i in
//                   {0, ..., d_out - 1} (eq. (4) with one-hot g).
//
// Parameter vector theta (replicated on every rank), layers in order
// l = 0 .. num_layers()-1 (code layer l is the paper's W^{l+1}), each
//   W_l : widths[l+1] x widths[l], row-major (row j = neuron j's incoming weights)
//   b_l : widths[l+1]
// stored as [W_0, b_0, W_1, b_1, ...]. layer_offset(l) is the index of
// W_l[0][0], layer_size(l) = widths[l+1] * (widths[l] + 1); bias_offset(l)
// = layer_offset(l) + widths[l+1] * widths[l]. Neuron j of layer l has the
// incoming parameters layer_offset(l) + j*widths[l] + [0, widths[l]) and
// bias_offset(l) + j (neuron_indices(l, j) lists them).
//
// Each rank evaluates its local rows in blocks of block_rows; samples are the
// columns of column-major (width x rows) activation blocks, so a row-major
// Dataset block is used in place and every layer is one dgemm per block.
// Every evaluation first copies theta into cache-line aligned storage, with
// each W_l also transposed (column-major out x in), so that the products of a
// gradient are NN or NT dgemms on aligned operands (H v's products with the
// direction stay TN). Rows per block by default (automatic_block_rows): where
// OpenBLAS has its small-matrix kernels (SkylakeX and its successors), as
// many as keep every layer's products within them; 192 otherwise. On an
// AVX-512 Xeon an MGDL grade epoch of 128-wide layers (bench_mgdl_grade) took
// 55 ms with blocks of 192 and unaligned buffers, 43 ms with blocks of 61: the
// small kernels run 128 x 60 x 128 at 75 GFLOP/s on aligned operands and 55
// on unaligned ones, the square DGEMM at 68. With OpenBLAS's Haswell kernel
// 61 rows were 5 % slower than 192, and 96 or 128 no faster. The
// 784-1024-128-10 network keeps 192 rows. All buffers are allocated in the
// constructor; evaluations do not allocate.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "msopt/core/huge_page_allocator.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/models/activation.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

enum class MlpLoss { least_squares, cross_entropy };

// Default rows per block for a network of these widths under the BLAS kernel
// named (openblas_get_corename, any case): for SkylakeX, Cooperlake and
// SapphireRapids the most rows m <= 192 with m widths[l] widths[l+1] <= 1e6
// for every layer, so that OpenBLAS's small-matrix dgemm takes every product;
// 192 where that leaves fewer than 32 rows, and for every other kernel.
PetscInt automatic_block_rows(const std::vector<PetscInt>& widths, const std::string& blas_kernel);

// "least_squares" or "cross_entropy"; anything else throws msopt::Error.
MlpLoss parse_mlp_loss(const std::string& name);
const char* mlp_loss_name(MlpLoss loss);

class Mlp : public Objective {
 public:
  // Collective (checks the labels of cross-entropy on every rank). widths has
  // at least two entries, widths[0] == data.dim; activations holds one entry
  // per hidden layer, or a single entry used for all of them (may be empty
  // when there is no hidden layer). Throws msopt::Error on every rank for an
  // inconsistent architecture or a label outside 0..d_out-1. `data` must
  // outlive the Mlp.
  // block_rows 0: automatic_block_rows for this process's BLAS kernel.
  Mlp(const Dataset& data, std::vector<PetscInt> widths, std::vector<Activation> activations, MlpLoss loss,
      PetscInt block_rows = 0);

  PetscInt dim() const override { return offsets_.back(); }
  MPI_Comm comm() const override { return data_.comm; }
  void local_value_and_gradient(const double* theta, double* partial) override;
  // Exact H(theta) v of the full loss (activation curvature included, so H is
  // indefinite in general), forward-over-reverse (R-forward then R-backward).
  void local_hessian_vector(const double* theta, const double* v, double* partial) override;
  // dgemm flops (6 m n_0 n_1 for the first layer, 16 m n_l n_{l+1} for the
  // others, m = local rows) plus ~20 per neuron and sample for the elementwise work.
  double local_hessian_vector_flops() const override;
  // The same count for one local_value_and_gradient.
  double local_gradient_flops() const;

  // Network outputs for `rows` inputs (x_rows row-major rows x d_in) into
  // out (row-major rows x d_out): the linear output f(x), i.e. the logits for
  // cross-entropy. Local, no communication; uses the internal buffers.
  void predict(const double* theta, const double* x_rows, PetscInt rows, double* out);
  // The last hidden layer's activations a_L(x) (MGDL's frozen features,
  // MGDL paper Section 3) for `rows` inputs into out (row-major rows x
  // widths[num_layers()-1]). Local, uses the internal buffers; msopt::Error
  // for a network without a hidden layer.
  void hidden_features(const double* theta, const double* x_rows, PetscInt rows, double* out);

  // Backpropagation of a loss given at the outputs (e.g. an imaging loss
  // coupling pixels): output_grad holds dL/df(x_i) for this rank's local rows
  // (rows.count x d_out, row-major); writes this rank's share
  // sum_i (df(x_i)/dtheta)^T output_grad_i of dL/dtheta into partial[0..dim()).
  // Local, no communication; the Mlp's own loss and targets are not used.
  void local_gradient_from_output(const double* theta, const double* output_grad, double* partial);
  // The directional derivative of the outputs, (df(x_i)/dtheta) v, for this
  // rank's local rows into out (rows.count x d_out, row-major). Local.
  void local_output_direction(const double* theta, const double* v, double* out);
  // H v of a loss given at the outputs: with output_grad = dL/df as above and
  // output_grad_direction its derivative along v (for L = l(f):
  // l''(f) (df/dtheta) v, which may couple the pixels), writes this rank's
  // share of (d^2 L/dtheta^2) v = J^T output_grad_direction + sum_i
  // output_grad_i . (d^2 f(x_i)/dtheta^2) v into partial[0..dim()). Local.
  void local_hessian_vector_from_output(const double* theta, const double* v, const double* output_grad,
                                        const double* output_grad_direction, double* partial);

  // Glorot/Xavier uniform ("glorot": W ~ U(-r, r), r = sqrt(6 / (n_in + n_out)))
  // or He normal ("he": W ~ N(0, 2 / n_in)); biases zero. Entry W_l[j][k]
  // depends only on (seed, l, j, k), so the same on every rank and unchanged
  // when other layers change width. Unknown scheme: msopt::Error.
  std::vector<double> initial_parameters(std::uint64_t seed, const std::string& scheme) const;

  PetscInt num_layers() const { return static_cast<PetscInt>(widths_.size()) - 1; }
  const std::vector<PetscInt>& widths() const { return widths_; }
  PetscInt block_rows() const { return block_rows_; }
  // Activation of hidden layer l (0 <= l < num_layers() - 1).
  Activation activation(PetscInt l) const { return activations_[l]; }
  MlpLoss loss() const { return loss_; }
  PetscInt layer_offset(PetscInt l) const { return offsets_[l]; }
  PetscInt layer_size(PetscInt l) const { return offsets_[l + 1] - offsets_[l]; }
  PetscInt bias_offset(PetscInt l) const { return offsets_[l] + widths_[l + 1] * widths_[l]; }
  // The widths[l] + 1 indices of neuron j of layer l: W_l row j, then b_l[j].
  std::vector<PetscInt> neuron_indices(PetscInt l, PetscInt j) const;
  const Dataset& data() const { return data_; }

 private:
  // Copies theta into weights_ and its W_l, transposed, into transposed_: the
  // first step of every evaluation (forward and backward read only these).
  void stage(const double* theta);
  // Forward pass at the staged theta over m columns x (d_in x m). Without v:
  // z_l and a_l at offset 0 of their buffers. With v: [R z_l | z_l] and
  // [R a_l | a_l] (the R parts first, the primal parts at offset n_l * m).
  void forward(const double* v, const double* x, PetscInt m);
  // Loss of block rows [start, start + m) at the output; writes delta = dl/dz / N
  // (and R delta after it when with_r) into d_; returns the summed loss.
  double output_layer(PetscInt start, PetscInt m, bool with_r);
  // Backward pass from d_ at the staged theta: adds the gradient (or H v when
  // v != nullptr) of the block into g.
  void backward(const double* v, const double* x, PetscInt m, double* g);
  // local_gradient_from_output (v == nullptr) and local_hessian_vector_from_output.
  void backward_from_output(const double* theta, const double* v, const double* output_grad,
                            const double* output_grad_direction, double* partial);

  const Dataset& data_;
  std::vector<PetscInt> widths_;
  std::vector<Activation> activations_;  // one per hidden layer
  MlpLoss loss_;
  PetscInt block_rows_;
  std::vector<PetscInt> offsets_;  // offsets_[l] = layer_offset(l), offsets_.back() = dim()
  // Per-block buffers, 2 * block_rows columns each (primal and R parts).
  // Cache-line aligned (HugePageVector): OpenBLAS's small-matrix kernels run
  // at three quarters of their speed on unaligned operands.
  std::vector<HugePageVector> z_, a_;  // z_ per layer, a_ per hidden layer
  HugePageVector d_, t_;               // deltas, ping-pong
  HugePageVector s1_, s2_;             // sigma', sigma'' of one hidden layer
  HugePageVector weights_;             // theta of the evaluation (stage)
  HugePageVector transposed_;          // its W_l, column-major out x in, at layer_offset(l)
};

}  // namespace msopt
