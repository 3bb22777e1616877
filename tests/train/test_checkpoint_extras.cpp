#include <gtest/gtest.h>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/train/checkpoint.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// A caller's arrays (e.g. MGDL's validation history) come back as written and are covered by the checksum.
TEST(CheckpointExtras, RoundTripAndChecksum) {
  const std::string dir = shared_temp_dir(PETSC_COMM_WORLD), path = dir + "/ck.h5";
  Checkpoint c;
  c.iteration = 2;
  c.parameters = {1, 2, 3};
  c.history.add(1, 0.5, 0.25);
  c.history.add(2, 0.4, 0.2);
  c.fingerprint = {10, 3, 1.5, "gd"};
  c.extras = {{"validation_loss", {0.3, 0.2}}, {"empty", {}}, {"best", {7}}};
  write_checkpoint(path, PETSC_COMM_WORLD, c);
  Checkpoint back = read_checkpoint(path, PETSC_COMM_WORLD, c.fingerprint);
  EXPECT_EQ(back.extras, c.extras);
  EXPECT_EQ(back.parameters, c.parameters);

  // One extra value changed after writing (rank 0 edits the file in place): the checksum catches it.
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) {
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "extra_validation_loss", H5P_DEFAULT);
    const double values[2] = {0.3, 0.21};
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    H5Dclose(d);
    H5Fclose(f);
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_THROW(read_checkpoint(path, PETSC_COMM_WORLD, c.fingerprint), Error);
}
