// The command line before PETSc sees it: command words, options, -help, and
// the checks PETSc would turn into a hang, a traceback or a crash (a stray
// word it silently skips, an options file that is missing, binary, a folder,
// a FIFO or includes itself).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace msopt {

struct CommandLine {
  std::vector<std::string> words;    // command words before the first option
  std::vector<std::string> options;  // every token from the first option on, -help removed
  bool help = false;
  double watchdog_seconds = -1;      // -watchdog_seconds on the command line (-1: not given)
};

// std::invalid_argument with the error text for a malformed command line.
CommandLine parse_command_line(int argc, char** argv);

// Whether PETSc reads `token` as an option name (not a value such as -1e-3).
bool is_option_name(const std::string& token);

}  // namespace msopt
