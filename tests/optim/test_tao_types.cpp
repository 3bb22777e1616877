// The TAO types of MsoptTaoRegisterAll against msopt's own optimizers driven
// step by step: on a distributed diagonal quadratic the iterates must agree
// bitwise (the steps are elementwise, so each rank's part is the same
// arithmetic as the whole vector).
#include <gtest/gtest.h>
#include <petscsys.h>
#include <petsctao.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/optim/tao_types.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// f(x) = 1/2 sum_i d_i (x_i - b_i)^2 with two scale groups: d in [100, 150]
// for the first 12 entries, d in [1, 1.5] for the rest.
constexpr PetscInt kDim = 37;

double diagonal(PetscInt i) { return (i < 12 ? 100.0 : 1.0) * (1.0 + 0.5 * static_cast<double>((7 * i) % 11) / 10.0); }
double target(PetscInt i) { return std::sin(static_cast<double>(i) + 1.0); }
double gradient_entry(PetscInt i, double x) { return diagonal(i) * (x - target(i)); }

std::string group_text() {
  double top[2] = {0, 0}, bottom[2] = {1e300, 1e300};
  for (PetscInt i = 0; i < kDim; ++i) {
    int g = i < 12 ? 0 : 1;
    top[g] = std::max(top[g], diagonal(i));
    bottom[g] = std::min(bottom[g], diagonal(i));
  }
  char text[200];
  std::snprintf(text, sizeof text, "%.17g:%.17g:12,%.17g:%.17g:25", top[0], bottom[0], top[1], bottom[1]);
  return text;
}

std::vector<ScaleGroup> groups_of(const std::string& text) {
  std::vector<ScaleGroup> groups;
  double a = 0, b = 0;
  int n = 0;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    EXPECT_EQ(std::sscanf(item.c_str(), "%lf:%lf:%d", &a, &b, &n), 3);
    groups.push_back({a, b, n});
  }
  return groups;
}

PetscErrorCode objective(Tao, Vec x, PetscReal* f, Vec g, void*) {
  PetscInt begin = 0, end = 0;
  const PetscScalar* xs = nullptr;
  PetscScalar* gs = nullptr;
  double local = 0;
  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(x, &begin, &end));
  PetscCall(VecGetArrayRead(x, &xs));
  PetscCall(VecGetArray(g, &gs));
  for (PetscInt i = begin; i < end; ++i) {
    gs[i - begin] = gradient_entry(i, xs[i - begin]);
    local += 0.5 * diagonal(i) * (xs[i - begin] - target(i)) * (xs[i - begin] - target(i));
  }
  PetscCall(VecRestoreArray(g, &gs));
  PetscCall(VecRestoreArrayRead(x, &xs));
  PetscCallMPI(MPI_Allreduce(&local, f, 1, MPI_DOUBLE, MPI_SUM, PetscObjectComm(reinterpret_cast<PetscObject>(x))));
  PetscFunctionReturn(0);
}

PetscErrorCode diagonal_multiply(Mat, Vec x, Vec y) {
  PetscInt begin = 0, end = 0;
  const PetscScalar* xs = nullptr;
  PetscScalar* ys = nullptr;
  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(x, &begin, &end));
  PetscCall(VecGetArrayRead(x, &xs));
  PetscCall(VecGetArray(y, &ys));
  for (PetscInt i = begin; i < end; ++i) ys[i - begin] = diagonal(i) * xs[i - begin];
  PetscCall(VecRestoreArray(y, &ys));
  PetscCall(VecRestoreArrayRead(x, &xs));
  PetscFunctionReturn(0);
}

PetscErrorCode constant_hessian(Tao, Vec, Mat, Mat, void*) { return 0; }

std::vector<double> start_point() {
  std::vector<double> x(kDim);
  for (PetscInt i = 0; i < kDim; ++i) x[i] = std::cos(3.0 * static_cast<double>(i));
  return x;
}

// Every iterate TaoMonitor sees, gathered on every rank.
struct Recorder {
  VecScatter to_all = nullptr;
  Vec all = nullptr;
  std::vector<std::vector<double>> iterates;
};

PetscErrorCode record_iterate(Tao tao, void* raw) {
  auto* r = static_cast<Recorder*>(raw);
  Vec x = nullptr;
  const PetscScalar* a = nullptr;
  PetscFunctionBeginUser;
  PetscCall(TaoGetSolution(tao, &x));
  PetscCall(VecScatterBegin(r->to_all, x, r->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(r->to_all, x, r->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(r->all, &a));
  r->iterates.emplace_back(a, a + kDim);
  PetscCall(VecRestoreArrayRead(r->all, &a));
  PetscFunctionReturn(0);
}

// One TAO object on the quadratic, options under prefix "t_".
class TaoRun {
 public:
  explicit TaoRun(const char* type, bool with_hessian = false) {
    MSOPT_PETSC(MsoptTaoRegisterAll());
    MSOPT_PETSC(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, kDim, &x_));
    MSOPT_PETSC(TaoCreate(PETSC_COMM_WORLD, &tao_));
    if (type) MSOPT_PETSC(TaoSetType(tao_, type));
    MSOPT_PETSC(TaoSetOptionsPrefix(tao_, "t_"));
    MSOPT_PETSC(TaoSetSolution(tao_, x_));
    MSOPT_PETSC(TaoSetObjectiveAndGradient(tao_, nullptr, objective, nullptr));
    MSOPT_PETSC(TaoSetTolerances(tao_, 0, 0, 0));
    MSOPT_PETSC(TaoSetMaximumIterations(tao_, 40));
    if (with_hessian) {
      PetscInt local = 0;
      MSOPT_PETSC(VecGetLocalSize(x_, &local));
      MSOPT_PETSC(MatCreateShell(PETSC_COMM_WORLD, local, local, kDim, kDim, nullptr, &hessian_));
      MSOPT_PETSC(MatShellSetOperation(hessian_, MATOP_MULT, reinterpret_cast<void (*)(void)>(diagonal_multiply)));
      MSOPT_PETSC(TaoSetHessian(tao_, hessian_, hessian_, constant_hessian, nullptr));
    }
    MSOPT_PETSC(VecScatterCreateToAll(x_, &recorder_.to_all, &recorder_.all));
    MSOPT_PETSC(TaoSetMonitor(tao_, record_iterate, &recorder_, nullptr));
  }
  ~TaoRun() {
    TaoDestroy(&tao_);
    MatDestroy(&hessian_);
    VecDestroy(&x_);
    VecScatterDestroy(&recorder_.to_all);
    VecDestroy(&recorder_.all);
  }
  // TaoSetFromOptions (its error code), then the solution set to the start.
  PetscErrorCode configure() {
    PetscErrorCode code = TaoSetFromOptions(tao_);
    reset();
    return code;
  }
  void reset() {
    recorder_.iterates.clear();
    auto start = start_point();
    PetscInt begin = 0, end = 0;
    MSOPT_PETSC(VecGetOwnershipRange(x_, &begin, &end));
    for (PetscInt i = begin; i < end; ++i) MSOPT_PETSC(VecSetValue(x_, i, start[i], INSERT_VALUES));
    MSOPT_PETSC(VecAssemblyBegin(x_));
    MSOPT_PETSC(VecAssemblyEnd(x_));
  }
  PetscErrorCode solve() { return TaoSolve(tao_); }
  const std::vector<std::vector<double>>& iterates() const { return recorder_.iterates; }
  Tao tao() const { return tao_; }
  Mat hessian() const { return hessian_; }

 private:
  Vec x_ = nullptr;
  Tao tao_ = nullptr;
  Mat hessian_ = nullptr;
  Recorder recorder_;
};

// msopt's optimizer on the whole vector, `steps` steps from the start: x_0 .. x_steps.
std::vector<std::vector<double>> reference(const std::string& type, const std::vector<ScaleGroup>& groups,
                                           PetscInt steps) {
  Options options(PETSC_COMM_WORLD, "test", "");
  ProblemInfo info;
  info.dim = kDim;
  info.groups = groups;
  auto optimizer = create_step_optimizer(type, options, info);
  std::vector<double> w = start_point(), g(kDim);
  std::vector<std::vector<double>> out{w};
  for (PetscInt k = 0; k < steps; ++k) {
    for (PetscInt i = 0; i < kDim; ++i) g[i] = gradient_entry(i, w[i]);
    optimizer->step(w, g);
    out.push_back(w);
  }
  return out;
}

// Bitwise equality of every iterate (41: the start and 40 steps).
void expect_same_iterates(const std::vector<std::vector<double>>& tao, const std::vector<std::vector<double>>& ref,
                          const std::string& what) {
  ASSERT_EQ(tao.size(), ref.size()) << what;
  for (size_t k = 0; k < ref.size(); ++k)
    for (PetscInt i = 0; i < kDim; ++i)
      ASSERT_EQ(tao[k][i], ref[k][i]) << what << ": iterate " << k << ", entry " << i;
}

// The most specific message of PETSc's newest error.
std::string petsc_message(PetscErrorCode code) {
  const char* text = nullptr;
  char* specific = nullptr;
  PetscErrorMessage(code, &text, &specific);
  return specific ? specific : "";
}

struct Case {
  const char* type;
  std::vector<std::pair<std::string, std::string>> tao_options, msopt_options;
  bool groups;  // the groups are given (-t_tao_<type>_groups) and known to the reference
};

}  // namespace

TEST(TaoTypes, SameIteratesAsMsoptOptimizers) {
  const std::string groups = group_text();
  const std::vector<Case> cases = {
      {"gd", {{"-t_tao_gd_lr", "0.011"}}, {{"-opt_lr", "0.011"}}, false},
      {"gd", {}, {}, true},  // rate 2/(L + mu) of the groups
      {"heavyball", {{"-t_tao_heavyball_lr", "0.01"}, {"-t_tao_heavyball_momentum", "0.6"}},
       {{"-opt_lr", "0.01"}, {"-opt_momentum", "0.6"}}, false},
      {"nesterov", {{"-t_tao_nesterov_lr", "0.006"}, {"-t_tao_nesterov_momentum", "0.4"}},
       {{"-opt_lr", "0.006"}, {"-opt_momentum", "0.4"}}, false},
      {"adam", {{"-t_tao_adam_lr", "0.05"}, {"-t_tao_adam_beta1", "0.8"}},
       {{"-opt_lr", "0.05"}, {"-adam_beta1", "0.8"}}, false},
      {"mrgd", {{"-t_tao_mrgd_rates", "0.009,0.6"}, {"-t_tao_mrgd_counts", "5,1"}},
       {{"-mrgd_rates", "0.009,0.6"}, {"-mrgd_counts", "5,1"}}, true},
      {"mrgd", {}, {}, true},  // eta and Theorem 3.4's counts chosen from the groups
      {"mrgd", {{"-t_tao_mrgd_eta", "2"}, {"-t_tao_mrgd_order", "paper"}}, {{"-mrgd_eta", "2"}, {"-mrgd_order", "paper"}},
       true},
  };
  for (const auto& c : cases) {
    std::string what = c.type;
    for (const auto& o : c.tao_options) what += " " + o.first + " " + o.second;
    std::vector<std::pair<std::string, std::string>> given = c.tao_options;
    if (c.groups) given.emplace_back(std::string("-t_tao_") + c.type + "_groups", groups);
    std::vector<std::vector<double>> tao_iterates, ref;
    {
      for (const auto& [name, value] : given) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
      TaoRun run(c.type);
      ASSERT_EQ(run.configure(), 0) << what;
      for (const auto& o : given) PetscOptionsClearValue(nullptr, o.first.c_str());
      PetscErrorCode code = run.solve();
      ASSERT_EQ(code, 0) << what << ": " << petsc_message(code);
      PetscInt iterations = 0;
      TaoGetIterationNumber(run.tao(), &iterations);
      EXPECT_EQ(iterations, 40) << what;
      tao_iterates = run.iterates();
    }
    {
      for (const auto& [name, value] : c.msopt_options) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
      ref = reference(c.type, c.groups ? groups_of(groups) : std::vector<ScaleGroup>{}, 40);
      for (const auto& o : c.msopt_options) PetscOptionsClearValue(nullptr, o.first.c_str());
    }
    expect_same_iterates(tao_iterates, ref, what);
    // Not a fixed point: the method moved.
    EXPECT_NE(tao_iterates.back(), tao_iterates.front()) << what;
  }
}

TEST(TaoTypes, MrgdFromTheProgramsHessianMatchesMsoptOnItsSpectrum) {
  TaoRun run("mrgd", true);
  ASSERT_EQ(run.configure(), 0);
  PetscErrorCode code = run.solve();
  ASSERT_EQ(code, 0) << petsc_message(code);
  auto spectrum = compute_spectrum(run.hessian(), SpectrumSettings{});
  ASSERT_EQ(spectrum.groups.size(), 2u);
  EXPECT_NEAR(spectrum.groups[0].sigma_max, 150, 1e-9);
  expect_same_iterates(run.iterates(), reference("mrgd", spectrum.groups, 40), "mrgd on the Hessian");
}

TEST(TaoTypes, SecondSolveFromTheSameStartGivesTheSameIterates) {
  const std::string groups = group_text();
  for (const char* type : {"heavyball", "adam", "mrgd"}) {
    ScopedOptions scoped{{"-t_tao_heavyball_lr", "0.01"}, {"-t_tao_heavyball_momentum", "0.6"},
                         {"-t_tao_mrgd_groups", groups}};
    TaoRun run(type);
    ASSERT_EQ(run.configure(), 0) << type;
    ASSERT_EQ(run.solve(), 0) << type;
    auto first = run.iterates();
    run.reset();
    ASSERT_EQ(run.solve(), 0) << type;
    expect_same_iterates(run.iterates(), first, std::string(type) + ", second solve");
  }
}

TEST(TaoTypes, TypeChosenByOptionAndConvergesToTolerance) {
  ScopedOptions scoped{{"-t_tao_type", "mrgd"}, {"-t_tao_mrgd_groups", group_text()}, {"-t_tao_gatol", "1e-9"},
                       {"-t_tao_max_it", "5000"}};
  TaoRun run(nullptr);
  ASSERT_EQ(run.configure(), 0);
  TaoType type = nullptr;
  TaoGetType(run.tao(), &type);
  EXPECT_STREQ(type, "mrgd");
  ASSERT_EQ(run.solve(), 0);
  TaoConvergedReason reason;
  TaoGetConvergedReason(run.tao(), &reason);
  EXPECT_EQ(reason, TAO_CONVERGED_GATOL);
  PetscReal f = 0, gnorm = 0;
  TaoGetSolutionStatus(run.tao(), nullptr, &f, &gnorm, nullptr, nullptr, nullptr);
  EXPECT_LE(gnorm, 1e-9);
  // The minimiser is the target.
  const auto& x = run.iterates().back();
  for (PetscInt i = 0; i < kDim; ++i) EXPECT_NEAR(x[i], target(i), 1e-8);
}

TEST(TaoTypes, BadOptionValuesArePetscErrorsNamingTheTaoOption) {
  const std::string groups = group_text();
  const std::vector<std::tuple<const char*, std::vector<std::pair<std::string, std::string>>, std::string>> cases = {
      {"gd", {{"-t_tao_gd_lr", "-1"}}, "-t_tao_gd_lr"},
      {"gd", {{"-t_tao_gd_lr", "fast"}}, "-t_tao_gd_lr"},
      {"gd", {}, "-t_tao_gd_groups"},  // no rate, no spectrum
      {"heavyball", {{"-t_tao_heavyball_lr", "0.01"}, {"-t_tao_heavyball_momentum", "1.5"}},
       "-t_tao_heavyball_momentum"},
      {"adam", {{"-t_tao_adam_beta2", "1"}}, "-t_tao_adam_beta2"},
      {"mrgd", {}, "TaoSetHessian"},  // no groups at all
      {"mrgd", {{"-t_tao_mrgd_groups", "1:2:3"}}, "-t_tao_mrgd_groups"},
      {"mrgd", {{"-t_tao_mrgd_groups", "150:100:12,1.5:1"}}, "-t_tao_mrgd_groups"},
      {"mrgd", {{"-t_tao_mrgd_groups", groups}, {"-t_tao_mrgd_rates", "0.01"}}, "-t_tao_mrgd_rates"},
      {"mrgd", {{"-t_tao_mrgd_groups", groups}, {"-t_tao_mrgd_order", "random"}}, "-t_tao_mrgd_order"},
      {"mrgd", {{"-t_tao_mrgd_spectrum_file", "/nonexistent/spectrum.h5"}}, "/nonexistent/spectrum.h5"},
  };
  for (const auto& [type, options, named] : cases) {
    std::string what = type;
    for (const auto& o : options) what += " " + o.first + " " + o.second;
    for (const auto& [name, value] : options) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
    {
      TaoRun run(type);
      ASSERT_EQ(run.configure(), 0) << what;
      PetscErrorCode code = run.solve();
      EXPECT_NE(code, 0) << what;
      EXPECT_NE(petsc_message(code).find(named), std::string::npos) << what << ": " << petsc_message(code);
    }
    for (const auto& o : options) PetscOptionsClearValue(nullptr, o.first.c_str());
  }
}

TEST(TaoTypes, TaoViewPrintsTheSchedule) {
  const std::string groups = group_text();
  ScopedOptions scoped{{"-t_tao_mrgd_groups", groups}, {"-t_tao_mrgd_rates", "0.009,0.6"}, {"-t_tao_mrgd_counts", "5,1"}};
  TaoRun run("mrgd");
  ASSERT_EQ(run.configure(), 0);
  ASSERT_EQ(TaoSetUp(run.tao()), 0);
  const std::string path = shared_temp_dir(PETSC_COMM_WORLD) + "/view.txt";
  PetscViewer viewer = nullptr;
  ASSERT_EQ(PetscViewerASCIIOpen(PETSC_COMM_WORLD, path.c_str(), &viewer), 0);
  ASSERT_EQ(TaoView(run.tao(), viewer), 0);
  PetscViewerDestroy(&viewer);
  MPI_Barrier(PETSC_COMM_WORLD);
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  // Every line of msopt's own description of this schedule.
  Options options(PETSC_COMM_WORLD, "test", "");
  ScopedOptions msopt_names{{"-mrgd_rates", "0.009,0.6"}, {"-mrgd_counts", "5,1"}};
  ProblemInfo info;
  info.dim = kDim;
  info.groups = groups_of(groups);
  auto described = create_step_optimizer("mrgd", options, info)->view();
  std::istringstream lines(described);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    EXPECT_NE(text.str().find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text.str();
  EXPECT_GE(count, 4);
  EXPECT_NE(text.str().find("type: mrgd"), std::string::npos) << text.str();
}
