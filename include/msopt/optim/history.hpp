// The convergence record of a run: one row per gradient evaluation.
#pragma once
#include <mpi.h>

#include <string>
#include <utility>
#include <vector>

namespace msopt {

struct History {
  std::vector<double> evaluations;  // gradient evaluations used when the row was recorded
  std::vector<double> residual;     // ||grad L(w)|| (= ||A w - b|| for least squares)
  std::vector<double> loss;         // L(w), NaN where the method does not compute it

  void add(double evaluation, double residual_norm, double loss_value);
  size_t size() const { return residual.size(); }
  // First evaluation count with residual <= threshold, or -1.
  double evaluations_to_reach(double threshold) const;
};

// Collective: HDF5 (/evaluations, /residual, /loss, text/number attributes)
// and a CSV beside it (same name, .csv), both replaced atomically.
struct HistoryLabel {
  std::string method;
  double reference_norm = 1;  // ||b||: residuals are divided by it in the CSV's relative column
  bool converged = false;
  std::string stop_reason;
  std::string parameters;  // describe() of the optimizer
  std::string settings;    // "-name<TAB>value" lines of the options that shaped the run
  std::string restart_overrides;  // settings changed on resume (-restart_override), if any
  // Further named series written beside the history (e.g. tracked sharpness).
  std::vector<std::pair<std::string, std::vector<double>>> extra_arrays;
};
// How /evaluations counts, the same for every method (the history's "counting" attribute).
extern const char kEvaluationCounting[];
// The CSV written beside a history file, and its first line.
std::string history_csv_path(const std::string& path);
extern const char kHistoryCsvHeader[];

void write_history(const std::string& path, MPI_Comm comm, const History& history, const HistoryLabel& label,
                   const std::vector<double>& solution);

}  // namespace msopt
