// Checkpoints: parameters, optimizer state, iteration and history in one
// HDF5 file with a CRC-32 checksum, replaced atomically (written to a
// temporary name, then renamed). A run keeps the newest K as numbered files
// "<stem>.<iteration>.h5"; a resume takes the newest valid one.
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <string>
#include <utility>
#include <vector>

#include "msopt/optim/history.hpp"

namespace msopt {

// Identifies the problem a checkpoint belongs to.
struct ProblemFingerprint {
  double n_samples = 0, dim = 0, reference_norm = 0;
  std::string method;
  // "-name<TAB>value" lines of every setting that shapes the trajectory
  // (trajectory_settings); a resume refuses a checkpoint written with others.
  std::string settings{};
  // Options allowed to differ on resume (-restart_override; "all": any).
  std::vector<std::string> overrides{};
};

// The settings of `values` (name, value as read) that shape a run's
// trajectory: all but where outputs go, when the run stops and reporting;
// with the optimizer's description (its rates may come from a spectrum).
std::string trajectory_settings(const std::vector<std::pair<std::string, std::string>>& values,
                                const std::string& optimizer);

// Named arrays a caller keeps beside the trainer's own state (a monitor's
// validation history, MGDL's best parameters); stored as /extra_<name>.
using CheckpointExtras = std::vector<std::pair<std::string, std::vector<double>>>;

struct Checkpoint {
  PetscInt iteration = 0;  // gradient evaluations done; w is the next point to evaluate
  std::vector<double> parameters;
  std::vector<double> optimizer_state;
  History history;
  ProblemFingerprint fingerprint;
  CheckpointExtras extras;
  // On resume: the settings that differ from the checkpoint's, allowed by
  // -restart_override ("-opt_lr: 0.1 -> 0.2" lines).
  std::string overridden{};
};

void write_checkpoint(const std::string& path, MPI_Comm comm, const Checkpoint& checkpoint);
// Reads one checkpoint file, verifies its checksum and that it belongs to
// `expected` (msopt::Error otherwise).
Checkpoint read_checkpoint(const std::string& path, MPI_Comm comm, const ProblemFingerprint& expected);

// The numbered checkpoints of a run with -checkpoint_file `base`.
class CheckpointSeries {
 public:
  CheckpointSeries(std::string base, PetscInt keep, MPI_Comm comm);
  // Writes "<stem>.<iteration>.h5" and removes the oldest beyond `keep`.
  void write(const Checkpoint& checkpoint);
  // Numbered files of `base`, newest first (the same list on every rank).
  static std::vector<std::string> existing(const std::string& base, MPI_Comm comm);
  static std::string numbered(const std::string& base, PetscInt iteration);

 private:
  std::string base_;
  PetscInt keep_;
  MPI_Comm comm_;
};

struct Resumed {
  Checkpoint checkpoint;
  std::string path;
};

// `base` is a checkpoint file or the -checkpoint_file of a run: the newest
// numbered checkpoint that reads back and passes its checksum is used, with a
// warning for each damaged newer one. msopt::Error when none is valid.
Resumed resume_checkpoint(const std::string& base, MPI_Comm comm, const ProblemFingerprint& expected);

}  // namespace msopt
