// Multi-grade deep learning (MGDL paper, Section 3). Grade l trains a shallow
// network N_{D_l} on the data D_l = {(x_{l,i}, e_{l,i})}, eq. (3):
//   x_{1,i} = x_i,  x_{l+1,i} = H_{D_l}(Theta_l^*; x_{l,i})  (the frozen features:
//             grade l's hidden layers composed, parameters fixed),
//   e_{1,i} = y_i,  e_{l+1,i} = e_{l,i} - g_l(Theta_l^*; x_{l,i})  (the residual).
// The model is the sum of the grades, gbar_L(x) = sum_l g_l(Theta_l^*; x).
// Each grade is an Mlp (least squares, 0.5 mean err^2) on its own Dataset,
// whose X (features) and y (residual) are computed once, when the grade
// before it is frozen, for the local rows of every rank (no communication).
#pragma once
#include <memory>
#include <vector>

#include "msopt/data/dataset.hpp"
#include "msopt/mgdl/grade_structure.hpp"
#include "msopt/models/activation.hpp"
#include "msopt/models/mlp.hpp"

namespace msopt {

class MultiGrade {
 public:
  // `validation` may be null. Both must have dim == grades[0][0]; msopt::Error otherwise.
  MultiGrade(const Dataset& train, const Dataset* validation, std::vector<GradeWidths> grades, Activation activation);

  PetscInt num_grades() const { return static_cast<PetscInt>(grades_.size()); }
  // Grades frozen so far; the current grade is finished() (0-based) while finished() < num_grades().
  PetscInt finished() const { return static_cast<PetscInt>(parameters_.size()); }
  const std::vector<GradeWidths>& grades() const { return grades_; }

  // The current grade's network and data (x_l, e_l), training and validation.
  Mlp& current();
  const Dataset& current_data() const { return *train_.back(); }
  const Dataset* current_validation() const { return validation_.empty() ? nullptr : validation_.back().get(); }
  // Collective: 0.5 mean (g_l(theta; x_l) - e_l)^2 over the validation set
  // (= the loss of the model gbar_l); NaN without validation data.
  double validation_loss(const std::vector<double>& theta);

  // Freezes the current grade at theta and computes the next grade's
  // features and residuals, once (nothing is computed after the last grade).
  void finish_grade(std::vector<double> theta);
  const std::vector<double>& parameters(PetscInt grade) const { return parameters_.at(grade); }

  // gbar_L(x) of the finished grades for `rows` inputs (row-major rows x d)
  // into out (rows). Local, no communication.
  void predict(const double* x_rows, PetscInt rows, double* out);

 private:
  std::vector<GradeWidths> grades_;
  Activation activation_;
  // Per started grade: its data (features, residual) and its network.
  std::vector<std::unique_ptr<Dataset>> train_, validation_;
  std::vector<std::unique_ptr<Mlp>> networks_;
  std::vector<std::vector<double>> parameters_;
  std::vector<double> buffer_;
};

}  // namespace msopt
