// The Euclidean norm of a replicated vector (a gradient, a direction).
#pragma once
#include <cmath>
#include <vector>

namespace msopt {

inline double euclidean_norm(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

}  // namespace msopt
