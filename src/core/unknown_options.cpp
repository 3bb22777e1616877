#include "msopt/core/unknown_options.hpp"

#include <petscksp.h>
#include <petsctao.h>
#include <slepceps.h>

#include <algorithm>

#include "msopt/core/command_line.hpp"
#include "msopt/core/error.hpp"

namespace msopt {

namespace {

// PETSc options that PETSc itself reads at PetscFinalize (so not yet at the
// check) and that make sense for every run.
const char* const kPetscFinalizeOptions[] = {"-log_view", "-log_view_memory", "-log_all", "-log_trace",
                                             "-options_left", "-options_view", "-memory_view", "-malloc_dump",
                                             "-malloc_view", "-objects_dump", "-log_exclude"};

std::vector<std::string>& command_line_names() {
  static std::vector<std::string> names;
  return names;
}

// The option prefixes of a solver of this kind created with options prefix `prefix`.
std::vector<std::string> solver_option_prefixes(const SolverOptions& solver) {
  std::vector<std::string> objects;
  if (solver.kind == "eps") objects = {"eps_", "st_", "bv_", "ds_", "rg_", "fn_"};
  if (solver.kind == "ksp") objects = {"ksp_", "pc_"};
  if (solver.kind == "tao") objects = {"tao_"};
  std::vector<std::string> prefixes;
  for (const auto& o : objects) prefixes.push_back("-" + solver.prefix + o);
  return prefixes;
}

// The solvers some msopt command creates: their options in a shared options file belong to that command.
const SolverOptions kEverySolver[] = {{"eps", "spec_"}, {"ksp", "opt_"}, {"tao", "opt_"}};

bool has_prefix(const std::string& name, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (name.compare(0, p.size(), p) == 0) return true;
  return false;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Options a solver reads only at the end of its solve (viewers, reasons).
const char* const kEndOfSolveOptions[] = {
    "eps_view", "eps_view_values", "eps_view_vectors", "eps_converged_reason", "eps_error_absolute",
    "eps_error_relative", "eps_error_backward", "ksp_view", "ksp_view_pre", "ksp_converged_reason",
    "ksp_view_mat", "ksp_view_rhs", "ksp_view_solution", "ksp_view_eigenvalues", "ksp_view_singularvalues",
    "ksp_view_final_residual", "ksp_error_if_not_converged", "tao_view", "tao_view_solution", "tao_view_gradient",
    "tao_converged_reason"};

// Creates a throwaway solver with the run's prefix and lets it read its
// options (PETSc marks them used); a bad value (-spec_eps_type bogus) fails here.
PetscErrorCode read_solver_options(MPI_Comm comm, const SolverOptions& solver) {
  PetscFunctionBeginUser;
  PetscBool set = PETSC_FALSE;
  for (const char* name : kEndOfSolveOptions)
    if (std::string(name).compare(0, solver.kind.size() + 1, solver.kind + "_") == 0)
      PetscCall(PetscOptionsHasName(nullptr, solver.prefix.c_str(), (std::string("-") + name).c_str(), &set));
  if (solver.kind == "eps") {
    EPS eps;
    PetscCall(EPSCreate(comm, &eps));
    PetscCall(EPSSetOptionsPrefix(eps, solver.prefix.c_str()));
    PetscErrorCode code = EPSSetFromOptions(eps);
    PetscCall(EPSDestroy(&eps));
    PetscCall(code);
  } else if (solver.kind == "ksp") {
    KSP ksp;
    PetscCall(KSPCreate(comm, &ksp));
    PetscCall(KSPSetOptionsPrefix(ksp, solver.prefix.c_str()));
    PetscErrorCode code = KSPSetFromOptions(ksp);
    PetscCall(KSPDestroy(&ksp));
    PetscCall(code);
  } else if (solver.kind == "tao") {
    Tao tao;
    PetscCall(TaoCreate(comm, &tao));
    PetscCall(TaoSetType(tao, TAOLMVM));
    PetscCall(TaoSetOptionsPrefix(tao, solver.prefix.c_str()));
    PetscErrorCode code = TaoSetFromOptions(tao);
    PetscCall(TaoDestroy(&tao));
    PetscCall(code);
  }
  PetscFunctionReturn(0);
}

}  // namespace

void set_command_line_options(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens)
    if (is_option_name(t)) command_line_names().push_back(t);
}

std::function<std::vector<std::string>()>& all_commands_options() {
  static std::function<std::vector<std::string>()> provider;
  return provider;
}

void set_all_commands_options(std::function<std::vector<std::string>()> provider) {
  all_commands_options() = std::move(provider);
}

std::string closest_option(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = std::max<size_t>(3, name.size() / 3) + 1;
  for (const auto& k : known) {
    const size_t d = edit_distance(name, k);
    if (d < best_distance) best_distance = d, best = k;
  }
  return best;
}

void require_known_options(MPI_Comm comm, const std::vector<std::string>& known,
                           const std::vector<SolverOptions>& solvers) {
  for (const auto& solver : solvers) {
    if (read_solver_options(comm, solver) == 0) continue;
    throw Error("options -" + solver.prefix + solver.kind + "_*: " + take_petsc_message());
  }
  PetscBool set = PETSC_FALSE;
  for (const char* name : kPetscFinalizeOptions) MSOPT_PETSC(PetscOptionsHasName(nullptr, nullptr, name, &set));
  for (const auto& name : known) MSOPT_PETSC(PetscOptionsHasName(nullptr, nullptr, name.c_str(), &set));
  PetscInt count = 0;
  char **names = nullptr, **values = nullptr;
  MSOPT_PETSC(PetscOptionsLeftGet(nullptr, &count, &names, &values));
  std::vector<std::string> left;
  for (PetscInt k = 0; k < count; ++k) left.push_back(names[k][0] == '-' ? names[k] : std::string("-") + names[k]);
  MSOPT_PETSC(PetscOptionsLeftRestore(nullptr, &count, &names, &values));
  std::vector<std::string> mine, others;  // solver option prefixes of this run's solvers, of the others
  for (const auto& solver : solvers)
    for (const auto& p : solver_option_prefixes(solver)) mine.push_back(p);
  for (const auto& solver : kEverySolver)
    for (const auto& p : solver_option_prefixes(solver))
      if (std::find(mine.begin(), mine.end(), p) == mine.end()) others.push_back(p);
  std::vector<std::string> other_commands;
  bool asked = false;
  std::string unknown;
  for (const auto& name : left) {
    const auto& direct = command_line_names();
    if (std::find(direct.begin(), direct.end(), name) == direct.end()) {  // from a file or PETSC_OPTIONS
      if (has_prefix(name, others)) continue;  // a solver another command creates checks it
      if (!asked && all_commands_options()) other_commands = all_commands_options()();
      asked = true;
      if (std::find(other_commands.begin(), other_commands.end(), name) != other_commands.end()) continue;
    }
    unknown = name;
    break;
  }
  if (unknown.empty()) return;
  std::vector<std::string> candidates(known);
  candidates.insert(candidates.end(), std::begin(kPetscFinalizeOptions), std::end(kPetscFinalizeOptions));
  if (!asked && all_commands_options()) other_commands = all_commands_options()();
  candidates.insert(candidates.end(), other_commands.begin(), other_commands.end());
  for (const auto& solver : solvers)
    for (const char* name : kEndOfSolveOptions) candidates.push_back("-" + solver.prefix + name);
  const std::string hint = closest_option(unknown, candidates);
  // A name another command or optimizer reads is spelled right: this run just has no use for it.
  if (hint == unknown)
    throw Error("unknown option " + unknown + " for this run (another command or -opt_type reads it; msopt "
                "<command> -help lists this run's options)");
  throw Error("unknown option " + unknown + (hint.empty() ? " (msopt <command> -help lists the options)"
                                                          : " (did you mean " + hint + "?)"));
}

}  // namespace msopt
