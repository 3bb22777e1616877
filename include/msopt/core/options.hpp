// Typed access to the PETSc options database with validation and -help text.
// An Options is one PetscOptionsBegin/End section of the database (titled
// "msopt <command>: <summary>"): each getter registers its option there with
// PetscOptionsString, so PETSc's -help prints it, and parses and checks the
// value itself (one-line errors naming the option). A subcommand reads all
// its options first, then calls finish(), which ends the section and, unless
// -help is given, refuses any option in the database that the run does not read.
#pragma once
#include <petscsys.h>

#include "msopt/core/unknown_options.hpp"

#include <functional>
#include <string>
#include <vector>

namespace msopt {

class Options {
 public:
  Options(MPI_Comm comm, std::string command, std::string summary);
  ~Options();
  Options(const Options&) = delete;
  Options& operator=(const Options&) = delete;

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
  // -quiet (every command takes it): no progress lines.
  bool quiet() const { return quiet_; }
  // Runs `read` (which reads options) only to learn the names it reads: as
  // under -help, values are not validated and nothing is built.
  void declare(const std::function<void()>& read);
  // A PETSc solver of this kind the run creates with this options prefix.
  void uses_solver(const std::string& kind, const std::string& prefix);
  // Ends the options section. Under -help (PETSc has printed every option
  // read) returns true: the caller should exit 0. Otherwise checks that
  // every option given is one this command read and returns false.
  // Collective.
  bool finish();
  // While `sink` is set, every Options acts as under -help but prints
  // nothing: finish() adds its names to *sink (the options of every command,
  // for options files shared by an experiment's commands).
  static void collect_names(std::vector<std::string>* sink);
  // Every option read so far and its value as given ("" when it was not).
  const std::vector<std::pair<std::string, std::string>>& values() const { return values_; }
  // values() as "-name<TAB>value" lines (recorded beside results).
  std::string values_text() const;
  MPI_Comm comm() const { return comm_; }

 private:
  void describe(const char* name, const std::string& value, const char* help);
  [[noreturn]] void fail(const char* name, const std::string& problem) const;
  bool lookup(const char* name, std::string& value) const;

  MPI_Comm comm_;
  std::string command_, summary_;
  bool help_ = false, declaring_ = false, finished_ = false, quiet_ = false;
  void end_section();

  PetscOptionItems section_{};  // this command's PetscOptionsBegin/End section
  bool section_open_ = false;
  std::vector<std::string> names_;
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<SolverOptions> solvers_;
};

}  // namespace msopt
