// The network of each MGDL grade (paper Section 3 and Appendix D, (30)-(33)):
// widths [input, hidden..., 1] per grade, written "1-32-1,32-32-1,...".
// Grade 1's input is the data dimension; grade l's input is grade l-1's last
// hidden width (its features x_l); every grade but the last needs a hidden
// layer. One grade with several hidden layers is SGDL ((26)-(29)).
#pragma once
#include <petscsys.h>

#include <cstdint>
#include <string>
#include <vector>

#include "msopt/core/options.hpp"

namespace msopt {

using GradeWidths = std::vector<PetscInt>;

// The grades' networks of `msopt mgdl` and `msopt restore`: -mgdl_grades,
// -mgdl_activation, -mgdl_init and -mgdl_seed.
struct GradeNetworkSettings {
  std::string grades;
  std::string activation = "relu";
  std::string init = "torch";
  std::uint64_t seed = 1;
  static GradeNetworkSettings from_options(Options& options, const char* default_grades, const char* grades_help);
};

// Parses and checks the connections; msopt::Error naming `option` otherwise.
std::vector<GradeWidths> parse_grades(const std::string& text, const char* option = "-mgdl_grades");
// Checks grade 1's input width against the data dimension.
void check_grade_input(const std::vector<GradeWidths>& grades, PetscInt data_dim, const char* option = "-mgdl_grades");
// "1-32-1,32-32-1": the canonical text (parse_grades(grades_text(g)) == g).
std::string grades_text(const std::vector<GradeWidths>& grades);
// Parameters of grade l: sum_j (n_{j-1} + 1) n_j.
PetscInt grade_parameter_count(const GradeWidths& widths);

}  // namespace msopt
