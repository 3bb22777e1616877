// The files of one run, checked before any work: every input is a regular
// readable file (a FIFO would block, a folder would flood MPI-IO errors);
// every output's folder exists and is writable, no output is an input or
// another output, no CSV beside an HDF5 file takes its name or replaces a
// file msopt did not write; and the run holds an exclusive lock on each
// output stem ("<stem>.lock"), so a second run on the same stem fails at
// once, naming the first.
#pragma once
#include <mpi.h>

#include <string>
#include <vector>

namespace msopt {

// Rank 0: msopt::Error text if `path` is not a regular readable file ("" if it is).
std::string regular_file_problem(const std::string& path);

// Collective: msopt::Error unless the folder of `path` has room for `bytes`
// plus a margin for HDF5's metadata.
void require_free_space(const std::string& path, double bytes, MPI_Comm comm);

class RunFiles {
 public:
  explicit RunFiles(MPI_Comm comm);
  RunFiles(const RunFiles&) = delete;
  RunFiles& operator=(const RunFiles&) = delete;
  ~RunFiles();  // releases the locks

  // A file the run reads (empty: none). `may_be_stem`: a name whose numbered
  // checkpoints are meant when no such file exists (-restart).
  void input(const std::string& option, const std::string& path, bool may_be_stem = false);
  // A file the run replaces (empty: none); `csv` is a text file written beside
  // it whose first line is `csv_header` (an existing one with another first
  // line was not written by msopt and is refused).
  void output(const std::string& option, const std::string& path, const std::string& csv = "",
              const std::string& csv_header = "");
  // A further file written beside `option`'s output (checked, locked with it).
  void sibling(const std::string& option, const std::string& path);
  // A CSV the run appends rows to (shared by runs: checked, not locked).
  void appended(const std::string& option, const std::string& path);
  // The numbered checkpoints "<stem>.<iteration>.h5" of -checkpoint_file `base`.
  void checkpoints(const std::string& option, const std::string& base);

  // Collective: the checks above, then the locks. msopt::Error naming the
  // option on every rank when one fails.
  void check();

 private:
  struct Entry {
    std::string option, path, csv_header;
    enum Kind { kInput, kOutput, kSibling, kAppended, kCheckpoints } kind;
  };
  std::string problem() const;
  std::string lock_all();

  MPI_Comm comm_;
  std::vector<Entry> entries_;
  std::vector<std::pair<int, std::string>> locks_;  // rank 0: descriptor and lock file
  std::vector<int> lock_watches_;                   // their termination.hpp slots
};

}  // namespace msopt
