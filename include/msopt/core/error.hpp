// Error handling: user mistakes become msopt::Error, thrown on every rank at
// once so that the program can end cleanly with one line and exit code 1.
#pragma once
#include <mpi.h>
#include <petscsys.h>

#include <stdexcept>
#include <string>

namespace msopt {

// A problem every rank knows about (thrown collectively).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure seen by one rank only (e.g. a PETSc error code); main() aborts the job.
class LocalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Collective: if any rank has local_ok == false, every rank throws Error with
// the message of the lowest failing rank.
void check_all(MPI_Comm comm, bool local_ok, const std::string& message);

// Collective check of a condition known identically on every rank.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw Error(message);
}

[[noreturn]] void throw_petsc_error(PetscErrorCode code, const char* expr, const char* file, int line);

// After PetscInitialize: PETSc errors print nothing (no traceback); the
// message of the newest one is kept for the error line.
void capture_petsc_errors();
// PETSc's own message of its newest error ("" if none), cleared by the call.
std::string take_petsc_message();

}  // namespace msopt

// Runs a PETSc/SLEPc call and turns a non-zero code into msopt::LocalError.
#define MSOPT_PETSC(expr)                                                          \
  do {                                                                             \
    PetscErrorCode msopt_ierr_ = (expr);                                           \
    if (msopt_ierr_) ::msopt::throw_petsc_error(msopt_ierr_, #expr, __FILE__, __LINE__); \
  } while (0)

#define MSOPT_MPI(expr)                                                            \
  do {                                                                             \
    int msopt_mpierr_ = (expr);                                                    \
    if (msopt_mpierr_ != MPI_SUCCESS)                                              \
      throw ::msopt::LocalError(std::string("MPI call failed: ") + #expr);         \
  } while (0)
