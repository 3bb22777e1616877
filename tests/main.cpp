// GoogleTest main for MPI tests: gtest flags first, then SLEPc/PETSc; only
// rank 0 prints; all ranks agree on the result.
#include <gtest/gtest.h>
#include <slepcsys.h>

#include <filesystem>

#include "test_util.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (SlepcInitialize(&argc, &argv, nullptr, nullptr)) return 1;
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank > 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int failed = RUN_ALL_TESTS(), any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, PETSC_COMM_WORLD);
  for (const auto& dir : msopt::testing::temp_dirs()) std::filesystem::remove_all(dir);
  SlepcFinalize();
  return any_failed;
}
