// Every option in the database must be one the run reads: an unknown name
// (a misspelling, an option of another command, a PETSc/SLEPc option of a
// solver this run never creates) ends the run before any work with one line
// naming it and the closest known option. One options file (or
// PETSC_OPTIONS) may serve all commands of an experiment (data, spectrum,
// train): there an option that another msopt command reads (-opt_lr for
// `msopt data`) is let pass; one that no command reads is unknown. On the
// command line every option must be one this command reads.
#pragma once
#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

namespace msopt {

// A PETSc solver the run creates with an options prefix: its options are
// known (a throwaway object of that kind reads them, and refuses bad values).
struct SolverOptions {
  std::string kind;    // "eps", "ksp" or "tao"
  std::string prefix;  // e.g. "spec_"
};

// The option names given on the command line itself (from main).
void set_command_line_options(const std::vector<std::string>& tokens);

// The options of every msopt command (asked only when an options file or
// PETSC_OPTIONS holds an option this command does not read).
void set_all_commands_options(std::function<std::vector<std::string>()> provider);

// The known name closest to `name` (edit distance), or "" when none is close.
std::string closest_option(const std::string& name, const std::vector<std::string>& known);

// Collective. `known`: the options msopt itself read (with their '-').
// msopt::Error for the first option in the database that nobody read.
void require_known_options(MPI_Comm comm, const std::vector<std::string>& known,
                           const std::vector<SolverOptions>& solvers);

}  // namespace msopt
