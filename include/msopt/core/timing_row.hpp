// One row of the scaling study: where the time of a training run went, read
// back from msopt's PETSc log events (max over ranks), appended to a CSV.
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <string>

namespace msopt {

struct TimingRow {
  std::string label;  // e.g. strong or weak
  PetscInt n_samples = 0, dim = 0, iterations = 0;
  double train_seconds = 0;  // wall time of the training loop
};

// Collective. Needs PETSc logging on (PetscLogDefaultBegin before the run).
void append_timing_row(const std::string& path, MPI_Comm comm, const TimingRow& row);

}  // namespace msopt
