#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "msopt/core/error.hpp"
#include "msopt/core/run_files.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

void touch(const std::string& path, const std::string& text = "x\n") {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) std::ofstream(path) << text;
  MPI_Barrier(PETSC_COMM_WORLD);
}

// The message of the Error that checking `files` throws ("" when none).
std::string check_message(RunFiles& files) {
  try {
    files.check();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

int rank_of_world() {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  return rank;
}

}  // namespace

TEST(RunFiles, InputsMustBeRegularFiles) {
  const std::string dir = shared_temp_dir(PETSC_COMM_WORLD);
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) mkfifo((dir + "/fifo").c_str(), 0644);
  MPI_Barrier(PETSC_COMM_WORLD);
  RunFiles fifo(PETSC_COMM_WORLD);
  fifo.input("-data_file", dir + "/fifo");
  EXPECT_NE(check_message(fifo).find("is a FIFO"), std::string::npos);
  RunFiles folder(PETSC_COMM_WORLD);
  folder.input("-data_file", dir);
  EXPECT_NE(check_message(folder).find("is a folder"), std::string::npos);
  RunFiles missing(PETSC_COMM_WORLD);
  missing.input("-data_file", dir + "/absent.h5");
  EXPECT_NE(check_message(missing).find("does not exist"), std::string::npos);
  RunFiles stem(PETSC_COMM_WORLD);  // -restart names a stem whose numbered files are meant
  stem.input("-restart", dir + "/ck.h5", true);
  EXPECT_EQ(check_message(stem), "");
}

TEST(RunFiles, OutputsNeverReplaceAnInputOrEachOther) {
  const std::string dir = shared_temp_dir(PETSC_COMM_WORLD);
  touch(dir + "/data.h5");
  {
    RunFiles same(PETSC_COMM_WORLD);  // the same file by another spelling
    same.input("-data_file", dir + "/data.h5");
    same.output("-history_out", dir + "/./data.h5");
    EXPECT_NE(check_message(same).find("is the input"), std::string::npos);
  }
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) {
    ASSERT_EQ(link((dir + "/data.h5").c_str(), (dir + "/hard.h5").c_str()), 0);
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  {
    RunFiles linked(PETSC_COMM_WORLD);  // a hard link: the same inode
    linked.input("-data_file", dir + "/data.h5");
    linked.output("-history_out", dir + "/hard.h5");
    EXPECT_NE(check_message(linked).find("is the input"), std::string::npos);
  }
  {
    RunFiles csv(PETSC_COMM_WORLD);  // the CSV beside run.csv is run.csv itself
    csv.output("-history_out", dir + "/run.csv", dir + "/run.csv");
    EXPECT_NE(check_message(csv).find("name the same file"), std::string::npos);
  }
  touch(dir + "/notes.csv", "my notes\n");
  {
    RunFiles foreign(PETSC_COMM_WORLD);
    foreign.output("-history_out", dir + "/notes.h5", dir + "/notes.csv", "evaluations,residual");
    EXPECT_NE(check_message(foreign).find("is not a CSV msopt writes"), std::string::npos);
  }
  touch(dir + "/ours.csv", "evaluations,residual\n1,2\n");
  {
    RunFiles ours(PETSC_COMM_WORLD);  // an earlier history's CSV is replaced
    ours.output("-history_out", dir + "/ours.h5", dir + "/ours.csv", "evaluations,residual");
    EXPECT_EQ(check_message(ours), "");
  }
  touch(dir + "/ck.0000000050.h5");
  {
    RunFiles prune(PETSC_COMM_WORLD);  // a new series would prune a start point of the same stem
    prune.input("-model_start", dir + "/ck.0000000050.h5");
    prune.checkpoints("-checkpoint_file", dir + "/ck.h5");
    EXPECT_NE(check_message(prune).find("would prune"), std::string::npos);
  }
  {
    RunFiles missing_folder(PETSC_COMM_WORLD);
    missing_folder.output("-spec_out", dir + "/no/s.h5");
    EXPECT_NE(check_message(missing_folder).find("does not exist"), std::string::npos);
  }
}

// A held lock (as another run holds it) makes the check fail naming the holder; released, the stem is free.
TEST(RunFiles, OneRunPerOutputStem) {
  const std::string dir = shared_temp_dir(PETSC_COMM_WORLD);
  {
    RunFiles first(PETSC_COMM_WORLD);
    first.output("-history_out", dir + "/h.h5");
    ASSERT_EQ(check_message(first), "");
    RunFiles second(PETSC_COMM_WORLD);
    second.output("-spec_out", dir + "/h.h5");
    const std::string message = check_message(second);
    EXPECT_NE(message.find("another run is writing to"), std::string::npos) << message;
    EXPECT_NE(message.find("pid"), std::string::npos) << message;
  }
  RunFiles later(PETSC_COMM_WORLD);
  later.output("-history_out", dir + "/h.h5");
  EXPECT_EQ(check_message(later), "");
  struct stat info {};
  if (rank_of_world() == 0) {
    EXPECT_EQ(stat((dir + "/h.lock").c_str(), &info), 0);  // held while `later` lives
  }
}
