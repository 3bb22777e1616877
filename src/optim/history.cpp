#include "msopt/optim/history.hpp"

#include <cstdio>
#include <fstream>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"

namespace msopt {

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

namespace {

std::string csv_path(const std::string& path) {
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_extension ? path.substr(0, dot) : path) + ".csv";
}

}  // namespace

void write_history(const std::string& path, MPI_Comm comm, const History& history, const HistoryLabel& label,
                   const std::vector<double>& solution) {
  H5File file = H5File::create_atomic(path, comm);
  file.write_array("evaluations", history.evaluations);
  file.write_array("residual", history.residual);
  file.write_array("loss", history.loss);
  file.write_array("solution", solution);
  for (const auto& [name, values] : label.extra_arrays) file.write_array(name, values);
  file.write_attribute("method", label.method);
  file.write_attribute("parameters", label.parameters);
  file.write_attribute("stop_reason", label.stop_reason);
  file.write_attribute("reference_norm", std::vector<double>{label.reference_norm});
  file.write_attribute("converged", std::vector<double>{label.converged ? 1.0 : 0.0});
  file.commit();

  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  bool ok = true;
  if (rank == 0) {
    const std::string csv = csv_path(path), temp = csv + ".tmp";
    std::ofstream out(temp);
    out << "evaluations,residual,relative_residual,loss\n";
    out.precision(17);
    for (size_t k = 0; k < history.size(); ++k)
      out << history.evaluations[k] << ',' << history.residual[k] << ','
          << history.residual[k] / label.reference_norm << ',' << history.loss[k] << '\n';
    out.close();
    ok = out.good() && std::rename(temp.c_str(), csv.c_str()) == 0;
  }
  int flag = ok;
  MPI_Bcast(&flag, 1, MPI_INT, 0, comm);
  require(flag, "cannot write the CSV history beside '" + path + "'");
}

}  // namespace msopt
