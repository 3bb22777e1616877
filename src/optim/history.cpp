#include "msopt/optim/history.hpp"

#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/text_files.hpp"

namespace msopt {

const char kEvaluationCounting[] =
    "gradient evaluations: the starting point's gradient is evaluation 1, every further gradient (KSP: operator "
    "application) one more, for every -opt_type";

void History::add(double evaluation, double residual_norm, double loss_value) {
  evaluations.push_back(evaluation);
  residual.push_back(residual_norm);
  loss.push_back(loss_value);
}

double History::evaluations_to_reach(double threshold) const {
  for (size_t k = 0; k < residual.size(); ++k)
    if (residual[k] <= threshold) return evaluations[k];
  return -1;
}

const char kHistoryCsvHeader[] = "evaluations,residual,relative_residual,loss";

std::string history_csv_path(const std::string& path) { return path.empty() ? "" : path_stem(path) + ".csv"; }

void write_history(const std::string& path, MPI_Comm comm, const History& history, const HistoryLabel& label,
                   const std::vector<double>& solution) {
  H5File file = H5File::create_atomic(path, comm);
  file.write_array("evaluations", history.evaluations);
  file.write_array("residual", history.residual);
  file.write_array("loss", history.loss);
  file.write_array("solution", solution);
  for (const auto& [name, values] : label.extra_arrays) file.write_array(name, values);
  file.write_attribute("method", label.method);
  file.write_text("optimizer", label.parameters);  // a Chebyshev schedule of 4096 steps passes 64 KiB
  if (!label.settings.empty()) file.write_text("settings", label.settings);
  if (!label.restart_overrides.empty()) file.write_text("restart_overrides", label.restart_overrides);
  file.write_attribute("stop_reason", label.stop_reason);
  file.write_attribute("counting", kEvaluationCounting);
  file.write_attribute("reference_norm", std::vector<double>{label.reference_norm});
  file.write_attribute("converged", std::vector<double>{label.converged ? 1.0 : 0.0});
  file.commit();

  std::ostringstream csv;
  csv << kHistoryCsvHeader << '\n';
  csv.precision(17);
  for (size_t k = 0; k < history.size(); ++k)
    csv << history.evaluations[k] << ',' << history.residual[k] << ',' << history.residual[k] / label.reference_norm
        << ',' << history.loss[k] << '\n';
  write_text_file(history_csv_path(path), comm, csv.str());
}

}  // namespace msopt
