#include "msopt/landscape/paper_runs.hpp"

namespace msopt {

PaperRun paper_run(const std::string& model) {
  if (model == "f1") return {{-5}, {5, 3, 1}, {100, 150}, 200, {-6, 6}};                // Fig. 4.1 left
  if (model == "f2") return {{-5}, {2, 0.5, 0.2}, {500, 700}, 900, {-6, 6}};            // Fig. 4.1 middle, C = 3
  if (model == "f3") return {{-3, 3}, {1, 0.3, 0.1}, {200, 400}, 600, {-4, 4, -4, 4}};  // Fig. 4.1 right
  if (model == "valley") return {{1, 1}, {3}, {}, 3000, {-5, 30, -3, 3}};               // Fig. 4.2
  if (model == "two_valley") return {{-20, 3}, {2.5, 0.25}, {700}, 1200, {-22, 4, -4, 4}};  // Fig. 5.1
  if (model == "valleys2d") return {{-0.3, 0.03}, {0.003}, {}, 600, {-1, 1, -1, 1}};  // Fig. 6.1 right
  if (model == "relu3") return {{0.5}, {0.05}, {}, 300, {-1.5, 1.5}};                   // Fig. 6.1 left
  return {{-5}, {1.5}, {}, 100, {-6, 6}};  // quadratic: the contrast of Sec. 2.1
}

}  // namespace msopt
