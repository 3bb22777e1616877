// Ending a job after an error that may be known to one rank only (a PETSc or
// HDF5 failure, std::bad_alloc): exactly one "msopt: error:" line, never a
// hang, no MPI_Abort banner.
#pragma once
#include <mpi.h>

#include <string>

namespace msopt {

// Collective, once after MPI_Init: the communicator the agreement below uses
// (a duplicate of `world`, so it never meets a pending collective).
void init_error_agreement(MPI_Comm world);

// On a rank that caught such an error. If every rank reaches this within a
// few seconds (they all failed), the lowest rank prints its message and it
// returns: the caller finalises and exits 1. Otherwise (another rank is busy
// or blocked in a collective) this rank prints its line and ends the process
// with _exit(1), which makes mpiexec end the others.
void end_after_local_error(const std::string& message);

}  // namespace msopt
