// Checkpoints: parameters, optimizer state, iteration and history in one
// HDF5 file, replaced atomically (written to a temporary name, then renamed).
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <string>
#include <vector>

#include "msopt/optim/history.hpp"

namespace msopt {

// Identifies the problem a checkpoint belongs to.
struct ProblemFingerprint {
  double n_samples = 0, dim = 0, reference_norm = 0;
  std::string method;
};

struct Checkpoint {
  PetscInt iteration = 0;  // gradient evaluations done; w is the next point to evaluate
  std::vector<double> parameters;
  std::vector<double> optimizer_state;
  History history;
  ProblemFingerprint fingerprint;
};

void write_checkpoint(const std::string& path, MPI_Comm comm, const Checkpoint& checkpoint);
// Reads a checkpoint and checks that it belongs to `expected` (msopt::Error otherwise).
Checkpoint read_checkpoint(const std::string& path, MPI_Comm comm, const ProblemFingerprint& expected);

}  // namespace msopt
