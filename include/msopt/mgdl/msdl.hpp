// Multi-scale deep network (MSDL; MGDL paper Section 7 and Appendix D, after
// Liu, Cai & Xu 2020): S parallel sub-networks N_s of the same widths on
// scaled inputs, outputs summed,
//   f(x) = sum_s N_s(Theta_s; a_s x),   a = {1, 2, 4, 8} in the paper,
// with the least-squares loss (1). f is one wide network whose hidden layers
// are block diagonal (one block per sub-network) and whose first-layer block
// s is a_s W_{s,1}: theta_wide = P theta with P linear, so
//   L(theta) = L_wide(P theta),  grad = P^T grad_wide,  H v = P^T H_wide P v,
// exactly, with the Mlp's backpropagation and R-operator doing the work.
// Parameters: [Theta_1, ..., Theta_S], each in the Mlp layout of `widths`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "msopt/mgdl/grade_structure.hpp"
#include "msopt/models/mlp.hpp"

namespace msopt {

class Msdl : public Objective {
 public:
  // widths: one sub-network [d, h_1, ..., h_L, 1] (L >= 1); scales a_s > 0.
  Msdl(const Dataset& data, std::vector<PetscInt> widths, std::vector<double> scales, Activation activation);

  PetscInt dim() const override { return sub_dim_ * static_cast<PetscInt>(scales_.size()); }
  MPI_Comm comm() const override { return wide_.comm(); }
  void local_value_and_gradient(const double* theta, double* partial) override;
  void local_hessian_vector(const double* theta, const double* v, double* partial) override;
  double local_hessian_vector_flops() const override { return wide_.local_hessian_vector_flops(); }

  // f(x) for `rows` inputs (row-major rows x d) into out. Local.
  void predict(const double* theta, const double* x_rows, PetscInt rows, double* out);
  // Sub-network s initialised by network_initial_parameters(scheme) with seed + s.
  std::vector<double> initial_parameters(std::uint64_t seed, const std::string& scheme) const;

  const std::vector<PetscInt>& sub_widths() const { return widths_; }
  const std::vector<double>& scales() const { return scales_; }
  PetscInt sub_dim() const { return sub_dim_; }

 private:
  static std::vector<PetscInt> wide_widths(const std::vector<PetscInt>& widths, size_t count);
  template <class Visit>
  void for_each_entry(Visit visit) const;                        // the nonzeros of P
  void expand(const double* theta, double* wide) const;          // wide = P theta
  void reduce(const double* wide, double* theta_shaped) const;   // theta = P^T wide

  std::vector<PetscInt> widths_;
  std::vector<double> scales_;
  PetscInt sub_dim_;
  Mlp sub_;   // one sub-network (initialisation, layout)
  Mlp wide_;  // the block-diagonal network
  std::vector<double> wide_theta_, wide_v_, wide_out_;
};

}  // namespace msopt
