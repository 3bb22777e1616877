#include "msopt/models/mlp.hpp"

#include <petscsys.h>
// clang-format off
#include <petscblaslapack.h>
// clang-format on

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "msopt/core/blas_kernel.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/core/simd_clones.hpp"

namespace msopt {

namespace {

// Stream of the counter-based generator for the weights of layer l.
constexpr std::uint32_t kInitStream = 0x4d4c5000u;  // "MLP\0"

PetscBLASInt blas_int(PetscInt n) { return static_cast<PetscBLASInt>(n); }

// C (m x n) = alpha op(A) op(B) + beta C, column-major.
void gemm(const char* ta, const char* tb, PetscInt m, PetscInt n, PetscInt k, double alpha, const double* A,
          PetscInt lda, const double* B, PetscInt ldb, double beta, double* C, PetscInt ldc) {
  const PetscBLASInt M = blas_int(m), N = blas_int(n), K = blas_int(k), LDA = blas_int(lda), LDB = blas_int(ldb),
                     LDC = blas_int(ldc);
  BLASgemm_(ta, tb, &M, &N, &K, &alpha, A, &LDA, B, &LDB, &beta, C, &LDC);
}

// Every column of Z (n x m) set to b.
void fill_columns(double* Z, const double* b, PetscInt n, PetscInt m) {
  for (PetscInt j = 0; j < m; ++j) std::copy(b, b + n, Z + j * n);
}

// g[i] += sum_j D[i + j n] (row sums of n x m).
MSOPT_SIMD_CLONES
void add_row_sums(const double* D, PetscInt n, PetscInt m, double* g) {
  for (PetscInt j = 0; j < m; ++j)
    for (PetscInt i = 0; i < n; ++i) g[i] += D[i + j * n];
}

}  // namespace

PetscInt automatic_block_rows(const std::vector<PetscInt>& widths, const std::string& blas_kernel) {
  constexpr PetscInt kDefault = 192, kFewest = 32;
  // OpenBLAS 0.3.21's dgemm_small_kernel_permit_skylakex.c: products with
  // M N K <= 1e6 (NN and NT) skip packing; Cooperlake and SapphireRapids use
  // the same kernels.
  constexpr double kSmallProduct = 1e6;
  std::string kernel = blas_kernel;
  std::transform(kernel.begin(), kernel.end(), kernel.begin(), [](unsigned char c) { return std::tolower(c); });
  if (kernel != "skylakex" && kernel != "cooperlake" && kernel != "sapphirerapids") return kDefault;
  double widest = 1;
  for (size_t l = 0; l + 1 < widths.size(); ++l)
    widest = std::max(widest, static_cast<double>(widths[l]) * static_cast<double>(widths[l + 1]));
  const auto rows = static_cast<PetscInt>(std::floor(kSmallProduct / widest));
  return rows < kFewest ? kDefault : std::min(rows, kDefault);
}

MlpLoss parse_mlp_loss(const std::string& name) {
  if (name == "least_squares") return MlpLoss::least_squares;
  if (name == "cross_entropy") return MlpLoss::cross_entropy;
  throw Error("unknown loss '" + name + "' (expected least_squares or cross_entropy)");
}

const char* mlp_loss_name(MlpLoss loss) {
  return loss == MlpLoss::least_squares ? "least_squares" : "cross_entropy";
}

Mlp::Mlp(const Dataset& data, std::vector<PetscInt> widths, std::vector<Activation> activations, MlpLoss loss,
         PetscInt block_rows)
    : data_(data),
      widths_(std::move(widths)),
      loss_(loss),
      block_rows_(block_rows == 0 ? automatic_block_rows(widths_, blas::corename()) : block_rows) {
  require(widths_.size() >= 2, "Mlp: widths must list at least the input and output widths, got " +
                                   std::to_string(widths_.size()) + " entries");
  for (PetscInt w : widths_) require(w >= 1, "Mlp: every width must be at least 1, got " + std::to_string(w));
  require(widths_[0] == data_.dim, "Mlp: the network's input width " + std::to_string(widths_[0]) +
                                       " does not match the data dimension " + std::to_string(data_.dim));
  require(block_rows_ >= 1, "Mlp: block_rows must be at least 1 (0: automatic), got " + std::to_string(block_rows_));
  const PetscInt layers = num_layers(), hidden = layers - 1, out = widths_.back();
  if (activations.size() == 1 && hidden != 1) activations.assign(static_cast<size_t>(hidden), activations[0]);
  require(static_cast<PetscInt>(activations.size()) == hidden || (hidden == 0 && activations.empty()),
          "Mlp: " + std::to_string(activations.size()) + " activations given for " + std::to_string(hidden) +
              " hidden layers (give one per hidden layer or one for all)");
  activations_ = std::move(activations);
  if (loss_ == MlpLoss::least_squares)
    require(out == 1, "Mlp: the least-squares loss needs one output (widths ending in 1), got " +
                          std::to_string(out));
  else
    require(out >= 2, "Mlp: the cross-entropy loss needs at least 2 classes, got " + std::to_string(out));

  offsets_.assign(static_cast<size_t>(layers) + 1, 0);
  for (PetscInt l = 0; l < layers; ++l) offsets_[l + 1] = offsets_[l] + widths_[l + 1] * (widths_[l] + 1);

  if (loss_ == MlpLoss::cross_entropy) {
    bool ok = true;
    std::string message;
    for (PetscInt i = 0; i < data_.rows.count && ok; ++i) {
      const double y = data_.y[i];
      if (!(std::isfinite(y) && y == std::floor(y) && y >= 0 && y < static_cast<double>(out))) {
        ok = false;
        std::ostringstream text;
        text << "Mlp: label " << y << " of sample " << data_.rows.begin + i << " is not a class in 0.."
             << out - 1 << " (the network has " << out << " outputs)";
        message = text.str();
      }
    }
    check_all(data_.comm, ok, message);
  }

  const size_t cols = 2 * static_cast<size_t>(block_rows_);
  PetscInt widest = 0, widest_hidden = 0;
  for (PetscInt l = 1; l <= layers; ++l) widest = std::max(widest, widths_[l]);
  for (PetscInt l = 1; l < layers; ++l) widest_hidden = std::max(widest_hidden, widths_[l]);
  z_.resize(static_cast<size_t>(layers));
  a_.resize(static_cast<size_t>(hidden));
  for (PetscInt l = 0; l < layers; ++l) z_[l].assign(cols * widths_[l + 1], 0.0);
  for (PetscInt l = 0; l < hidden; ++l) a_[l].assign(cols * widths_[l + 1], 0.0);
  d_.assign(cols * widest, 0.0);
  t_.assign(cols * widest, 0.0);
  s1_.assign(cols / 2 * widest_hidden, 0.0);
  s2_.assign(cols / 2 * widest_hidden, 0.0);
  weights_.assign(static_cast<size_t>(dim()), 0.0);
  transposed_.assign(static_cast<size_t>(dim()), 0.0);
}

void Mlp::stage(const double* theta) {
  std::copy(theta, theta + dim(), weights_.begin());
  for (PetscInt l = 0; l < num_layers(); ++l) {
    const PetscInt in = widths_[l], out = widths_[l + 1];
    const double* W = theta + offsets_[l];
    double* T = transposed_.data() + offsets_[l];
    for (PetscInt j = 0; j < out; ++j)
      for (PetscInt k = 0; k < in; ++k) T[j + k * out] = W[j * in + k];
  }
}

std::vector<PetscInt> Mlp::neuron_indices(PetscInt l, PetscInt j) const {
  const PetscInt in = widths_[l];
  std::vector<PetscInt> indices(static_cast<size_t>(in) + 1);
  for (PetscInt k = 0; k < in; ++k) indices[k] = offsets_[l] + j * in + k;
  indices[in] = bias_offset(l) + j;
  return indices;
}

void Mlp::forward(const double* v, const double* x, PetscInt m) {
  const bool with_r = v != nullptr;
  const PetscInt layers = num_layers();
  for (PetscInt l = 0; l < layers; ++l) {
    const PetscInt in = widths_[l], out = widths_[l + 1];
    const double* W = transposed_.data() + offsets_[l];  // column-major out x in
    const double* b = weights_.data() + bias_offset(l);
    double* Z = z_[l].data();
    if (!with_r) {
      const double* A = l == 0 ? x : a_[l - 1].data();
      fill_columns(Z, b, out, m);
      gemm("N", "N", out, m, in, 1.0, W, out, A, in, 1.0, Z, out);  // z = W a + b
    } else {
      const double* V = v + offsets_[l];
      const double* c = V + out * in;
      double* RZ = Z;
      double* Zp = Z + out * m;
      fill_columns(RZ, c, out, m);
      fill_columns(Zp, b, out, m);
      if (l == 0) {  // R a_0 = 0
        gemm("N", "N", out, m, in, 1.0, W, out, x, in, 1.0, Zp, out);  // z = W x + b
        gemm("T", "N", out, m, in, 1.0, V, in, x, in, 1.0, RZ, out);   // Rz = V x + c
      } else {
        const double* RA = a_[l - 1].data();  // [R a | a]
        const double* Ap = RA + in * m;
        gemm("N", "N", out, 2 * m, in, 1.0, W, out, RA, in, 1.0, Z, out);  // [Rz | z] += W [R a | a]
        gemm("T", "N", out, m, in, 1.0, V, in, Ap, in, 1.0, RZ, out);     // Rz += V a
      }
    }
    if (l + 1 < layers) {  // hidden: a = sigma(z), R a = sigma'(z) R z
      const Activation act = activations_[l];
      const size_t n = static_cast<size_t>(out) * m;
      const double* Zp = with_r ? Z + n : Z;
      double* A = a_[l].data();
      double* Ap = with_r ? A + n : A;
      apply_activation(act, Zp, Ap, n);
      if (with_r) multiply_by_derivative(act, Zp, Ap, Z, A, n);
    }
  }
}

double Mlp::output_layer(PetscInt start, PetscInt m, bool with_r) {
  const PetscInt out = widths_.back();
  const double inv_n = 1.0 / static_cast<double>(data_.n_global);
  const double* Z = z_.back().data();
  const double* RZ = Z;
  if (with_r) Z += out * m;
  double* D = d_.data();
  double* RD = D + out * m;
  const double* y = data_.y.data() + start;
  double value = 0;
  if (loss_ == MlpLoss::least_squares) {  // out == 1
    for (PetscInt j = 0; j < m; ++j) {
      const double r = Z[j] - y[j];
      value += 0.5 * r * r;
      D[j] = r * inv_n;
      if (with_r) RD[j] = RZ[j] * inv_n;
    }
    return value;
  }
  for (PetscInt j = 0; j < m; ++j) {
    const double* z = Z + j * out;
    double* p = D + j * out;
    const PetscInt label = static_cast<PetscInt>(y[j]);
    const double top = *std::max_element(z, z + out);
    double sum = 0;
    for (PetscInt k = 0; k < out; ++k) sum += (p[k] = std::exp(z[k] - top));
    value += top + std::log(sum) - z[label];
    for (PetscInt k = 0; k < out; ++k) p[k] /= sum;
    if (with_r) {  // R delta = (diag(p) - p p^T) R z / N
      const double* rz = RZ + j * out;
      double* rd = RD + j * out;
      double dot = 0;
      for (PetscInt k = 0; k < out; ++k) dot += p[k] * rz[k];
      for (PetscInt k = 0; k < out; ++k) rd[k] = p[k] * (rz[k] - dot) * inv_n;
    }
    p[label] -= 1.0;
    for (PetscInt k = 0; k < out; ++k) p[k] *= inv_n;
  }
  return value;
}

void Mlp::backward(const double* v, const double* x, PetscInt m, double* g) {
  const bool with_r = v != nullptr;
  for (PetscInt l = num_layers() - 1; l >= 0; --l) {
    const PetscInt in = widths_[l], out = widths_[l + 1];
    const double* W = weights_.data() + offsets_[l];
    double* GW = g + offsets_[l];
    double* gb = GW + out * in;
    const double* D = d_.data();  // [delta | R delta] (R part only with v)
    // Weights: row-major out x in == column-major in x out, G^T += A D^T.
    if (!with_r) {
      const double* A = l == 0 ? x : a_[l - 1].data();
      gemm("N", "T", in, out, m, 1.0, A, in, D, out, 1.0, GW, in);  // += a delta^T
      add_row_sums(D, out, m, gb);
    } else {
      const double* RD = D + out * m;
      if (l == 0)
        gemm("N", "T", in, out, m, 1.0, x, in, RD, out, 1.0, GW, in);  // += x (R delta)^T
      else  // [R a | a] [delta | R delta]^T = R a delta^T + a (R delta)^T
        gemm("N", "T", in, out, 2 * m, 1.0, a_[l - 1].data(), in, D, out, 1.0, GW, in);
      add_row_sums(RD, out, m, gb);
    }
    if (l == 0) break;
    // Deltas of layer l-1: delta = sigma'(z) (W^T delta),
    // R delta = sigma''(z) R z (W^T delta) + sigma'(z) (V^T delta + W^T R delta).
    const Activation act = activations_[l - 1];
    const size_t n = static_cast<size_t>(in) * m;
    double* T = t_.data();
    const double* Zl = z_[l - 1].data();
    const double* Al = a_[l - 1].data();
    if (!with_r) {
      gemm("N", "N", in, m, out, 1.0, W, in, D, out, 0.0, T, in);
      multiply_by_derivative(act, Zl, Al, T, T, n);
    } else {
      const double* V = v + offsets_[l];
      gemm("N", "N", in, 2 * m, out, 1.0, W, in, D, out, 0.0, T, in);    // [W^T delta | W^T R delta]
      gemm("N", "N", in, m, out, 1.0, V, in, D, out, 1.0, T + n, in);     // + [0 | V^T delta]
      activation_derivatives(act, Zl + n, Al + n, s1_.data(), s2_.data(), n);
      for (size_t i = 0; i < n; ++i) {
        const double t1 = T[i], t2 = T[n + i];
        T[i] = s1_[i] * t1;
        T[n + i] = s2_[i] * Zl[i] * t1 + s1_[i] * t2;
      }
    }
    std::swap(d_, t_);
  }
}

void Mlp::local_value_and_gradient(const double* theta, double* partial) {
  const PetscInt d = dim();
  stage(theta);
  std::fill(partial, partial + d + 1, 0.0);
  double value = 0;
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, data_.rows.count - start);
    const double* x = data_.row(start);
    forward(nullptr, x, m);
    value += output_layer(start, m, false);
    backward(nullptr, x, m, partial);
  }
  partial[d] = value / static_cast<double>(data_.n_global);
}

void Mlp::local_gradient_from_output(const double* theta, const double* output_grad, double* partial) {
  backward_from_output(theta, nullptr, output_grad, nullptr, partial);
}

void Mlp::local_output_direction(const double* theta, const double* v, double* out) {
  const PetscInt d_out = widths_.back();
  stage(theta);
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, data_.rows.count - start);
    forward(v, data_.row(start), m);
    const double* RZ = z_.back().data();  // [R f | f]: R f first, d_out x m column-major
    std::copy(RZ, RZ + static_cast<size_t>(d_out) * m, out + static_cast<size_t>(start) * d_out);
  }
}

void Mlp::local_hessian_vector_from_output(const double* theta, const double* v, const double* output_grad,
                                           const double* output_grad_direction, double* partial) {
  backward_from_output(theta, v, output_grad, output_grad_direction, partial);
}

void Mlp::backward_from_output(const double* theta, const double* v, const double* output_grad,
                               const double* output_grad_direction, double* partial) {
  const PetscInt d_out = widths_.back();
  stage(theta);
  std::fill(partial, partial + dim(), 0.0);
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, data_.rows.count - start);
    const double* x = data_.row(start);
    forward(v, x, m);
    // The output deltas (d_out x m column-major == m x d_out row-major): [delta | R delta] with v.
    const size_t offset = static_cast<size_t>(start) * d_out, count = static_cast<size_t>(m) * d_out;
    std::copy(output_grad + offset, output_grad + offset + count, d_.begin());
    if (v) std::copy(output_grad_direction + offset, output_grad_direction + offset + count, d_.begin() + count);
    backward(v, x, m, partial);
  }
}

void Mlp::local_hessian_vector(const double* theta, const double* v, double* partial) {
  stage(theta);
  std::fill(partial, partial + dim(), 0.0);
  for (PetscInt start = 0; start < data_.rows.count; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, data_.rows.count - start);
    const double* x = data_.row(start);
    forward(v, x, m);
    output_layer(start, m, true);
    backward(v, x, m, partial);
  }
}

double Mlp::local_hessian_vector_flops() const {
  double flops = 0;
  for (PetscInt l = 0; l < num_layers(); ++l)
    flops += (l == 0 ? 6.0 : 16.0) * static_cast<double>(widths_[l]) * static_cast<double>(widths_[l + 1]);
  for (PetscInt l = 1; l < static_cast<PetscInt>(widths_.size()); ++l) flops += 20.0 * widths_[l];
  return flops * static_cast<double>(data_.rows.count);
}

double Mlp::local_gradient_flops() const {
  double flops = 0;
  for (PetscInt l = 0; l < num_layers(); ++l)
    flops += (l == 0 ? 4.0 : 6.0) * static_cast<double>(widths_[l]) * static_cast<double>(widths_[l + 1]);
  for (PetscInt l = 1; l < static_cast<PetscInt>(widths_.size()); ++l) flops += 10.0 * widths_[l];
  return flops * static_cast<double>(data_.rows.count);
}

void Mlp::predict(const double* theta, const double* x_rows, PetscInt rows, double* out) {
  const PetscInt d_in = widths_.front(), d_out = widths_.back();
  stage(theta);
  for (PetscInt start = 0; start < rows; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, rows - start);
    forward(nullptr, x_rows + static_cast<size_t>(start) * d_in, m);
    const double* Z = z_.back().data();  // d_out x m column-major == m x d_out row-major
    std::copy(Z, Z + static_cast<size_t>(d_out) * m, out + static_cast<size_t>(start) * d_out);
  }
}

void Mlp::hidden_features(const double* theta, const double* x_rows, PetscInt rows, double* out) {
  require(num_layers() >= 2, "Mlp: a network without a hidden layer has no hidden features");
  const PetscInt d_in = widths_.front(), width = widths_[num_layers() - 1];
  stage(theta);
  for (PetscInt start = 0; start < rows; start += block_rows_) {
    const PetscInt m = std::min(block_rows_, rows - start);
    forward(nullptr, x_rows + static_cast<size_t>(start) * d_in, m);
    const double* A = a_.back().data();  // width x m column-major == m x width row-major
    std::copy(A, A + static_cast<size_t>(width) * m, out + static_cast<size_t>(start) * width);
  }
}

std::vector<double> Mlp::initial_parameters(std::uint64_t seed, const std::string& scheme) const {
  const bool glorot = scheme == "glorot", he = scheme == "he";
  require(glorot || he, "Mlp: unknown initialisation scheme '" + scheme + "' (expected glorot or he)");
  const CounterRng rng(seed);
  std::vector<double> theta(static_cast<size_t>(dim()), 0.0);
  for (PetscInt l = 0; l < num_layers(); ++l) {
    const PetscInt in = widths_[l], out = widths_[l + 1];
    const double scale = glorot ? std::sqrt(6.0 / static_cast<double>(in + out)) : std::sqrt(2.0 / in);
    const std::uint32_t stream = kInitStream + static_cast<std::uint32_t>(l);
    double* W = theta.data() + offsets_[l];
    for (PetscInt j = 0; j < out; ++j)
      for (PetscInt k = 0; k < in; k += 2) {
        const auto block = static_cast<std::uint32_t>(k / 2);
        std::array<double, 2> pair;
        if (glorot) {
          pair = rng.uniform2(stream, static_cast<std::uint64_t>(j), block);
          for (double& u : pair) u = 2.0 * u - 1.0;
        } else {
          pair = rng.normal2(stream, static_cast<std::uint64_t>(j), block);
        }
        W[j * in + k] = scale * pair[0];
        if (k + 1 < in) W[j * in + k + 1] = scale * pair[1];
      }
  }
  return theta;
}

}  // namespace msopt
