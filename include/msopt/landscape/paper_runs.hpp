// The GD runs of the landscape paper's figure captions, the defaults of
// `msopt landscape` for each model: start, rates and the steps they drop at.
#pragma once
#include <string>
#include <vector>

namespace msopt {

struct PaperRun {
  std::vector<double> x0;
  std::vector<double> rates;    // the paper schedule's stages
  std::vector<int> milestones;  // steps where the rate drops
  int steps = 0;
  std::vector<double> box;      // the figure's plotting window: x1 range (and x2 range)
};

PaperRun paper_run(const std::string& model);

}  // namespace msopt
