// Path stems and rank-0 text files.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/core/text_files.hpp"
#include "test_util.hpp"

using namespace msopt;

TEST(TextFiles, PathStemDropsOnlyTheFileExtension) {
  EXPECT_EQ(path_stem("results/run.h5"), "results/run");
  EXPECT_EQ(path_stem("run.track.csv"), "run.track");
  EXPECT_EQ(path_stem("a.dir/run"), "a.dir/run");  // a dot in a folder is not an extension
  EXPECT_EQ(path_stem("./run"), "./run");
  EXPECT_EQ(path_stem("run"), "run");
}

TEST(TextFiles, RankZeroWritesEveryRankChecks) {
  const std::string dir = msopt::testing::shared_temp_dir(PETSC_COMM_WORLD);
  const std::string path = dir + "/out.csv";
  write_text_file(path, PETSC_COMM_WORLD, "a,b\n1,2\n");
  MPI_Barrier(PETSC_COMM_WORLD);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "a,b\n1,2\n");
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  EXPECT_THROW(write_text_file(dir + "/absent/out.csv", PETSC_COMM_WORLD, "x"), Error);
}
