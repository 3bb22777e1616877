// Shared by the libFuzzer targets: PETSc (and so MPI) is initialised once per
// process with a fake argv, so libFuzzer's flags never reach PETSc's options
// database, and PETSc errors come back as codes (msopt turns them into
// msopt::LocalError) instead of aborting.
#pragma once
#include <petscsys.h>

#include <cstdio>
#include <cstdlib>

namespace msopt::fuzz {

inline void finalize_petsc() {
  PetscBool finalized = PETSC_TRUE;
  PetscFinalized(&finalized);
  if (!finalized) PetscFinalize();
}

inline void initialize_petsc(const char* name) {
  static char program[64];
  std::snprintf(program, sizeof program, "%s", name);
  // No PETSc signal handler: crashes must reach ASan and libFuzzer, which
  // save the input (PETSc's handler would call MPI_Abort instead).
  static char no_handler[] = "-no_signal_handler";
  static char* fake_argv[] = {program, no_handler, nullptr};
  int fake_argc = 2;
  char** argv = fake_argv;
  if (PetscInitialize(&fake_argc, &argv, nullptr, nullptr)) {
    std::fprintf(stderr, "%s: PetscInitialize failed\n", name);
    std::abort();
  }
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  // libFuzzer ends a run with exit(): close MPI cleanly then.
  std::atexit(finalize_petsc);
}

}  // namespace msopt::fuzz
