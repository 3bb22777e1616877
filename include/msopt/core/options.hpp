// Typed access to the PETSc options database with validation and -help text.
// Each getter records a help line; a subcommand reads all its options first,
// then calls finish(), which prints the list when -help is given.
#pragma once
#include <petscsys.h>

#include <string>
#include <vector>

namespace msopt {

class Options {
 public:
  Options(MPI_Comm comm, std::string command, std::string summary);

  PetscInt integer(const char* name, PetscInt fallback, const char* help);
  PetscInt positive_integer(const char* name, PetscInt fallback, const char* help);
  PetscInt nonnegative_integer(const char* name, PetscInt fallback, const char* help);
  double real(const char* name, double fallback, const char* help);
  double positive_real(const char* name, double fallback, const char* help);
  std::string string(const char* name, const std::string& fallback, const char* help);
  // A string option that must be given.
  std::string required_string(const char* name, const char* help);
  // One of the listed choices.
  std::string choice(const char* name, const std::string& fallback, const std::vector<std::string>& choices,
                     const char* help);
  bool flag(const char* name, const char* help);
  // Comma-separated lists; empty when the option is absent.
  std::vector<double> real_list(const char* name, const char* help);
  std::vector<PetscInt> integer_list(const char* name, const char* help);
  bool given(const char* name) const;

  bool help_requested() const { return help_; }
  // Prints help (returns true: the caller should exit 0) or returns false.
  bool finish() const;
  MPI_Comm comm() const { return comm_; }

 private:
  void describe(const char* name, const std::string& value, const char* help);
  [[noreturn]] void fail(const char* name, const std::string& problem) const;
  bool lookup(const char* name, std::string& value) const;

  MPI_Comm comm_;
  std::string command_, summary_;
  bool help_ = false;
  std::vector<std::string> lines_;
};

}  // namespace msopt
