#include <gtest/gtest.h>

#include <fstream>

#include "msopt/core/command_line.hpp"
#include "msopt/core/unknown_options.hpp"
#include "test_util.hpp"

using namespace msopt;

namespace {

CommandLine parse(std::vector<std::string> words) {
  std::vector<char*> argv{const_cast<char*>("msopt")};
  for (auto& w : words) argv.push_back(w.data());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

std::string error_of(std::vector<std::string> words) {
  try {
    parse(std::move(words));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CommandLine, WordsOptionsAndHelp) {
  CommandLine line = parse({"data", "multiscale", "-data_n", "10", "-help", "-data_shift", "-1e-3", "-quiet"});
  EXPECT_EQ(line.words, (std::vector<std::string>{"data", "multiscale"}));
  EXPECT_TRUE(line.help);
  EXPECT_EQ(line.options, (std::vector<std::string>{"-data_n", "10", "-data_shift", "-1e-3", "-quiet"}));
  EXPECT_FALSE(is_option_name("-1e-3"));
  EXPECT_FALSE(is_option_name("-inf"));
  EXPECT_TRUE(is_option_name("-opt_lr"));
  EXPECT_DOUBLE_EQ(parse({"train", "-watchdog_seconds", "2.5"}).watchdog_seconds, 2.5);
}

TEST(CommandLine, StrayWordsAndBadWatchdog) {
  EXPECT_NE(error_of({"train", "-opt_lr", "0.1", "0.2"}).find("unexpected word '0.2'"), std::string::npos);
  EXPECT_NE(error_of({"train", "-watchdog_seconds", "-1"}).find("-watchdog_seconds"), std::string::npos);
  EXPECT_EQ(error_of({"train", "-opt_lr", "0.1", "-quiet"}), "");
}

TEST(CommandLine, OptionsFilesArePetscReadable) {
  const std::string dir = msopt::testing::shared_temp_dir(PETSC_COMM_WORLD);
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) {
    std::ofstream(dir + "/a.opts") << "# comment\n-opt_lr 0.1\n-options_file " << dir << "/b.opts\n";
    std::ofstream(dir + "/b.opts") << "-quiet\n-options_file " << dir << "/a.opts\n";
    std::ofstream(dir + "/two.opts") << "-opt_lr 0.1 -quiet\n";
    std::ofstream(dir + "/good.opts") << "-opt_lr 0.1\n\n-quiet   # trailing comment\n";
    std::ofstream(dir + "/binary.opts") << std::string("-opt_lr \0\1", 10);
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  EXPECT_NE(error_of({"train", "-options_file", dir + "/a.opts"}).find("includes itself"), std::string::npos);
  EXPECT_NE(error_of({"train", "-options_file", dir + "/two.opts"}).find("one option per line"), std::string::npos);
  EXPECT_NE(error_of({"train", "-options_file", dir + "/binary.opts"}).find("not a text file"), std::string::npos);
  EXPECT_NE(error_of({"train", "-options_file", dir}).find("is a folder"), std::string::npos);
  EXPECT_NE(error_of({"train", "-options_file", dir + "/x.opts"}).find("does not exist"), std::string::npos);
  EXPECT_EQ(error_of({"train", "-options_file", dir + "/good.opts"}), "");
}

TEST(UnknownOptions, ClosestKnownName) {
  const std::vector<std::string> known{"-checkpoint_every", "-checkpoint_keep", "-opt_max_it", "-opt_lr"};
  EXPECT_EQ(closest_option("-checkpoint_evry", known), "-checkpoint_every");
  EXPECT_EQ(closest_option("-opt_max_itt", known), "-opt_max_it");
  EXPECT_EQ(closest_option("-totally_different_name", known), "");
}
