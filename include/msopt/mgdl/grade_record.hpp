// The record of trained grades: what `msopt mgdl` writes as its result and
// keeps as the finished grades of a checkpointed run. HDF5, per grade l
// (1-based): /grade<l>_parameters, _train_loss, _gradient_norm,
// _validation_loss (per iteration), _best_evaluation, _eig_evaluations,
// _eig_smallest, _eig_largest (rows of nev eigenvalues of I - eta H);
// attributes model, method, finished, grade<l>_reason. A CSV of the losses
// (<stem>.csv) and of the eigenvalues (<stem>_eig.csv) sit beside it.
#pragma once
#include <mpi.h>

#include <string>
#include <vector>

#include "msopt/mgdl/iteration_spectrum.hpp"

namespace msopt {

struct GradeRecord {
  std::vector<double> parameters;  // the grade's final (frozen) parameters
  std::vector<double> train_loss, gradient_norm, validation_loss;  // per gradient evaluation
  double best_evaluation = 0;      // of the validation loss (0: none)
  IterationSpectra spectra;
  std::string reason;              // why the grade's training stopped
  bool diverged = false;
};

struct GradeRecords {
  std::string model;   // e.g. "mgdl 1-32-1,32-32-1" or "msdl 1-8-8-8-8-1 scales 1,2,4,8"
  std::string method;  // optimizer and rate, e.g. "gd lr 0.06"
  std::vector<GradeRecord> grades;
};

// Collective; replaced atomically. `arrays` adds named arrays (e.g. predictions).
void write_grade_records(const std::string& path, MPI_Comm comm, const GradeRecords& records,
                         const std::vector<std::pair<std::string, std::vector<double>>>& arrays = {});
// Collective; msopt::Error for a file that is not such a record.
GradeRecords read_grade_records(const std::string& path, MPI_Comm comm, PetscInt nev);
// The exit status of a grade-by-grade command once its records are written: 0, or 1 with
// "msopt: error: grade <l> <reason>" on stderr when the last grade diverged.
int grade_run_status(MPI_Comm comm, const GradeRecords& records);

}  // namespace msopt
