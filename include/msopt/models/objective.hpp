// The loss interface: parameters are replicated on every rank; each rank
// evaluates its own rows and one MPI_Allreduce sums the result.
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <vector>

namespace msopt {

class Objective {
 public:
  virtual ~Objective() = default;
  virtual PetscInt dim() const = 0;
  virtual MPI_Comm comm() const = 0;

  // This rank's share: gradient into partial[0..d-1], value into partial[d].
  virtual void local_value_and_gradient(const double* w, double* partial) = 0;
  // This rank's share of H(w) v, the Hessian at w applied to v.
  virtual void local_hessian_vector(const double* w, const double* v, double* partial) = 0;
  // Floating-point operations of one local_hessian_vector (for -log_view).
  virtual double local_hessian_vector_flops() const = 0;

  // Collective, one reduction: returns L(w) and writes the full gradient.
  double value_and_gradient(const double* w, double* gradient);
  // Collective, one reduction: H(w) v.
  void hessian_vector(const double* w, const double* v, double* hv);

 private:
  std::vector<double> partial_, total_;
};

}  // namespace msopt
