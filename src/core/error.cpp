#include "msopt/core/error.hpp"

#include <vector>

namespace msopt {

void check_all(MPI_Comm comm, bool local_ok, const std::string& message) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int mine = local_ok ? size : rank, first = size;
  MSOPT_MPI(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return;
  int length = rank == first ? static_cast<int>(message.size()) : 0;
  MSOPT_MPI(MPI_Bcast(&length, 1, MPI_INT, first, comm));
  std::string text = rank == first ? message : std::string(length, ' ');
  MSOPT_MPI(MPI_Bcast(text.data(), length, MPI_CHAR, first, comm));
  throw Error(text);
}

namespace {

std::string petsc_message;

PetscErrorCode keep_message(MPI_Comm, int, const char*, const char*, PetscErrorCode code, PetscErrorType type,
                            const char* message, void*) {
  if (type == PETSC_ERROR_INITIAL) {
    const char* generic = nullptr;
    PetscErrorMessage(code, &generic, nullptr);
    petsc_message = std::string(generic ? generic : "PETSc error") + (message && *message ? ": " : "") +
                    (message ? message : "");
    for (char& c : petsc_message)
      if (c == '\n') c = ' ';
  }
  return code;
}

}  // namespace

void capture_petsc_errors() { PetscPushErrorHandler(keep_message, nullptr); }

std::string take_petsc_message() {
  std::string text;
  text.swap(petsc_message);
  return text;
}

void throw_petsc_error(PetscErrorCode code, const char* expr, const char* file, int line) {
  std::string text = take_petsc_message();
  if (text.empty()) {
    const char* generic = nullptr;
    PetscErrorMessage(code, &generic, nullptr);
    text = generic ? generic : "";
  }
  throw LocalError("PETSc error " + std::to_string(code) + " (" + text + ") in " + expr + " at " + file + ":" +
                   std::to_string(line));
}

}  // namespace msopt
