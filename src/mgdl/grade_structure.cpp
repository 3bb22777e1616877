#include "msopt/mgdl/grade_structure.hpp"

#include <cerrno>
#include <cstdlib>

#include "msopt/core/error.hpp"
#include "msopt/models/activation.hpp"

namespace msopt {

GradeNetworkSettings GradeNetworkSettings::from_options(Options& o, const char* default_grades,
                                                        const char* grades_help) {
  GradeNetworkSettings s;
  s.grades = o.string("-mgdl_grades", default_grades, grades_help);
  s.activation = o.choice("-mgdl_activation", s.activation, activation_names(), "hidden activation");
  s.init = o.choice("-mgdl_init", s.init, {"torch", "he", "glorot"},
                    "initialisation: torch (PyTorch's default, W, b ~ U(+-1/sqrt(n_in))), he or glorot (zero biases)");
  s.seed = static_cast<std::uint64_t>(o.nonnegative_integer("-mgdl_seed", 1, "initialisation seed (grade l: seed + l - 1)"));
  return s;
}

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::vector<GradeWidths> parse_grades(const std::string& text, const char* option) {
  const std::string name = std::string("option ") + option + ": ";
  require(!text.empty(), name + "no grades given (e.g. 1-32-1,32-32-1)");
  std::vector<GradeWidths> grades;
  for (const std::string& grade : split(text, ',')) {
    GradeWidths widths;
    for (const std::string& word : split(grade, '-')) {
      char* end = nullptr;
      errno = 0;
      const long value = std::strtol(word.c_str(), &end, 10);
      require(!word.empty() && *end == '\0' && errno == 0 && value >= 1 && value <= 1000000,
              name + "'" + word + "' in grade '" + grade + "' is not a positive width");
      widths.push_back(static_cast<PetscInt>(value));
    }
    const std::string label = name + "grade " + std::to_string(grades.size() + 1) + " (" + grade + ")";
    require(widths.size() >= 2, label + " needs an input and an output width");
    require(widths.back() == 1, label + " must end in one output (least squares)");
    grades.push_back(widths);
  }
  for (size_t l = 1; l < grades.size(); ++l) {
    const GradeWidths& before = grades[l - 1];
    require(before.size() >= 3, name + "grade " + std::to_string(l) +
                                    " has no hidden layer, so it gives no features to grade " + std::to_string(l + 1));
    const PetscInt features = before[before.size() - 2];
    require(grades[l][0] == features, name + "grade " + std::to_string(l + 1) + " takes " +
                                          std::to_string(grades[l][0]) + " inputs but grade " + std::to_string(l) +
                                          "'s last hidden layer has width " + std::to_string(features));
  }
  return grades;
}

void check_grade_input(const std::vector<GradeWidths>& grades, PetscInt data_dim, const char* option) {
  require(grades.front().front() == data_dim, std::string("option ") + option + ": grade 1 takes " +
                                                  std::to_string(grades.front().front()) +
                                                  " inputs but the data have dimension " + std::to_string(data_dim));
}

std::string grades_text(const std::vector<GradeWidths>& grades) {
  std::string text;
  for (const auto& widths : grades) {
    if (!text.empty()) text += ',';
    for (size_t j = 0; j < widths.size(); ++j) text += (j ? "-" : "") + std::to_string(widths[j]);
  }
  return text;
}

PetscInt grade_parameter_count(const GradeWidths& widths) {
  PetscInt count = 0;
  for (size_t j = 1; j < widths.size(); ++j) count += (widths[j - 1] + 1) * widths[j];
  return count;
}

}  // namespace msopt
