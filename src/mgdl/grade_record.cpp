#include "msopt/mgdl/grade_record.hpp"

#include <cstdio>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/text_files.hpp"

namespace msopt {

namespace {

std::string key(size_t grade, const char* name) { return "grade" + std::to_string(grade + 1) + "_" + name; }

std::string number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

}  // namespace

void write_grade_records(const std::string& path, MPI_Comm comm, const GradeRecords& records,
                         const std::vector<std::pair<std::string, std::vector<double>>>& arrays) {
  H5File file = H5File::create_atomic(path, comm);
  file.write_attribute("model", records.model);
  file.write_attribute("method", records.method);
  file.write_attribute("finished", std::vector<double>{static_cast<double>(records.grades.size())});
  std::string losses = "grade,evaluation,train_loss,gradient_norm,validation_loss\n", eigs;
  for (size_t l = 0; l < records.grades.size(); ++l) {
    const GradeRecord& g = records.grades[l];
    file.write_array(key(l, "parameters"), g.parameters);
    file.write_array(key(l, "train_loss"), g.train_loss);
    file.write_array(key(l, "gradient_norm"), g.gradient_norm);
    file.write_array(key(l, "validation_loss"), g.validation_loss);
    file.write_array(key(l, "best_evaluation"), {g.best_evaluation});
    file.write_array(key(l, "eig_evaluations"), g.spectra.evaluations);
    file.write_array(key(l, "eig_smallest"), g.spectra.smallest);
    file.write_array(key(l, "eig_largest"), g.spectra.largest);
    file.write_attribute(key(l, "reason"), g.reason);
    file.write_attribute(key(l, "diverged"), std::vector<double>{g.diverged ? 1.0 : 0.0});
    for (size_t k = 0; k < g.train_loss.size(); ++k)
      losses += std::to_string(l + 1) + "," + std::to_string(k + 1) + "," + number(g.train_loss[k]) + "," +
                number(g.gradient_norm[k]) + "," +
                (k < g.validation_loss.size() ? number(g.validation_loss[k]) : std::string("nan")) + "\n";
    const size_t nev = static_cast<size_t>(g.spectra.nev);
    for (size_t r = 0; r < g.spectra.evaluations.size(); ++r) {
      eigs += std::to_string(l + 1) + "," + number(g.spectra.evaluations[r]);
      for (size_t k = 0; k < nev; ++k) eigs += "," + number(g.spectra.smallest[r * nev + k]);
      for (size_t k = 0; k < nev; ++k) eigs += "," + number(g.spectra.largest[r * nev + k]);
      eigs += "\n";
    }
  }
  for (const auto& [name, values] : arrays) file.write_array(name, values);
  file.commit();

  write_text_file(path_stem(path) + ".csv", comm, losses);
  if (!eigs.empty()) {
    std::string header = "grade,evaluation";
    const PetscInt nev = records.grades.empty() ? 0 : records.grades.front().spectra.nev;
    for (PetscInt k = 0; k < nev; ++k) header += ",smallest_" + std::to_string(k);
    for (PetscInt k = 0; k < nev; ++k) header += ",largest_" + std::to_string(k);
    write_text_file(path_stem(path) + "_eig.csv", comm, header + "\n" + eigs);
  }
}

GradeRecords read_grade_records(const std::string& path, MPI_Comm comm, PetscInt nev) {
  H5File file = H5File::open(path, comm);
  for (const char* name : {"model", "method", "finished"})
    require(file.has_attribute(name), "'" + path + "' is not an msopt mgdl record (no attribute " + name + ")");
  GradeRecords records;
  records.model = file.read_text_attribute("model");
  records.method = file.read_text_attribute("method");
  const double finished = file.read_number_attribute("finished").at(0);
  require(finished >= 0 && finished <= 1000, "'" + path + "': malformed attribute finished");
  for (size_t l = 0; l < static_cast<size_t>(finished); ++l) {
    for (const char* name : {"parameters", "train_loss", "gradient_norm", "validation_loss", "best_evaluation",
                             "eig_evaluations", "eig_smallest", "eig_largest"})
      require(file.has(key(l, name)), "'" + path + "' is damaged (no /" + key(l, name) + ")");
    GradeRecord g;
    g.parameters = file.read_array(key(l, "parameters"));
    g.train_loss = file.read_array(key(l, "train_loss"));
    g.gradient_norm = file.read_array(key(l, "gradient_norm"));
    g.validation_loss = file.read_array(key(l, "validation_loss"));
    g.best_evaluation = file.read_array(key(l, "best_evaluation")).at(0);
    g.spectra.nev = nev;
    g.spectra.evaluations = file.read_array(key(l, "eig_evaluations"));
    g.spectra.smallest = file.read_array(key(l, "eig_smallest"));
    g.spectra.largest = file.read_array(key(l, "eig_largest"));
    if (file.has_attribute(key(l, "reason"))) g.reason = file.read_text_attribute(key(l, "reason"));
    if (file.has_attribute(key(l, "diverged"))) g.diverged = file.read_number_attribute(key(l, "diverged")).at(0) != 0;
    const size_t rows = g.spectra.evaluations.size() * static_cast<size_t>(nev);
    require(g.gradient_norm.size() == g.train_loss.size() && g.spectra.smallest.size() == rows &&
                g.spectra.largest.size() == rows,
            "'" + path + "': grade " + std::to_string(l + 1) + "'s record is inconsistent (or -mgdl_eig_nev differs)");
    records.grades.push_back(std::move(g));
  }
  return records;
}

int grade_run_status(MPI_Comm comm, const GradeRecords& records) {
  if (records.grades.empty() || !records.grades.back().diverged) return 0;
  PetscFPrintf(comm, PETSC_STDERR, "msopt: error: grade %zu %s\n", records.grades.size(),
               records.grades.back().reason.c_str());
  return 1;
}

}  // namespace msopt
