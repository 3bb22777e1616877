// The TV reconstruction loss of the MGDL paper (Appendix C, eqs. (22)/(24))
// as an Objective over the network parameters Theta:
//   L(Theta, u) = 1/2 ||f_hat - A g||^2 + beta/2 ||u - B g||^2 + lambda ||u||_1,
//   g = eps N_Theta(x) + g_prev    (SGDL / grade 1: eps = 1, g_prev = 0),
// A the blur (identity for denoising), B the differences (tv_difference.hpp).
// The auxiliary u lives inside the objective and follows the
// proximity-gradient algorithm (20)-(21): each gradient evaluation at
// Theta^k first sets u^{k+1} by eq. (20) from g(Theta^k), then returns
// L(Theta^k, u^{k+1}) and its gradient in Theta. That gradient is the
// network's backpropagation of the per-pixel output gradient
//   r = eps (A^T (A g - f_hat) + beta B^T (B g - u)),
// a distributed Vec split as the pixels: each rank backpropagates its own
// pixels and Objective::value_and_gradient sums the shares with one Allreduce.
#pragma once
#include <vector>

#include "msopt/core/handles.hpp"
#include "msopt/mgdl/tv_prox.hpp"
#include "msopt/models/mlp.hpp"
#include "msopt/models/objective.hpp"

namespace msopt {

class TvObjective : public Objective {
 public:
  // Collective. network: one output (widths ending in 1) over a Dataset of
  // the n pixels (or of their grade-l features), rows split as the pixels;
  // its loss and targets are not used. f_hat: the observed image (pixel Vec);
  // A: n x n or nullptr for the identity; B: 2n x n; g_prev: the previous
  // grades' image or nullptr for 0. f_hat and g_prev are copied, A and B
  // referenced; the network must outlive the objective. u starts at 0.
  TvObjective(Mlp& network, Vec f_hat, Mat A, Mat B, const TvParameters& params, double eps = 1.0,
              Vec g_prev = nullptr);

  PetscInt dim() const override { return network_.dim(); }
  MPI_Comm comm() const override { return network_.comm(); }
  // Collective (operators couple the pixels): eq. (20) unless disabled by
  // set_prox_each_gradient(false), then this rank's share of L and dL/dTheta.
  void local_value_and_gradient(const double* theta, double* partial) override;
  // Collective: this rank's share of H v, H the exact Hessian in Theta of
  // L(Theta, u) at the current u (no update of u; the iteration matrix
  // I - eta H of the paper's Section 6 for Figs 21-24):
  //   H v = J^T Q J v + sum_i r_i (d^2 N_i/dTheta^2) v,
  //   Q = eps^2 (A^T A + beta B^T B) (pixel-coupled), J = dN/dTheta, r as above.
  void local_hessian_vector(const double* theta, const double* v, double* partial) override;
  double local_hessian_vector_flops() const override { return network_.local_hessian_vector_flops(); }

  // Collective: L(Theta, u) at the current u (no update of u).
  double value(const double* theta);
  // Collective: eq. (20), u <- prox(alpha B g(Theta) + (1 - alpha) u).
  void prox_step(const double* theta);
  // Whether local_value_and_gradient applies eq. (20) first (default true).
  void set_prox_each_gradient(bool on) { prox_each_gradient_ = on; }

  // Collective: g = eps N_Theta(x) + g_prev into a pixel Vec.
  void reconstruct(const double* theta, Vec g);
  Vec u() const { return u_; }
  // The image g of the last evaluation (value, gradient or prox_step).
  Vec image() const { return g_; }
  // Collective: u (2n entries, [horizontal; vertical]) on every rank, for checkpoints.
  std::vector<double> state() const;
  // Restores u from state(); a wrong length is an msopt::Error.
  void set_state(const std::vector<double>& u);

  const TvParameters& parameters() const { return params_; }
  double eps() const { return eps_; }

 private:
  // g_ and Bg_ from theta.
  void evaluate(const double* theta);
  // This rank's share of L from g_, Bg_ and u_; leaves A g - f_hat in ra_, B g - u in rb_.
  double local_value();
  // After local_value(): r = dL/dN on every pixel into r_ (scales rb_ by beta).
  void output_gradient();

  Mlp& network_;
  TvParameters params_;
  double eps_;
  bool prox_each_gradient_ = true;
  MatHandle A_, B_;  // A_ empty: identity
  VecHandle f_hat_, g_prev_, u_, g_, Bg_, ra_, rb_, r_;
  VecHandle s_, As_, Bs_, q_;    // H v: eps J v, A s, B s, Q J v
  std::vector<double> outputs_;  // N_Theta on the local pixels
};

}  // namespace msopt
