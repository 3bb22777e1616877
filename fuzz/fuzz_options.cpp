// libFuzzer target: the option readers of msopt on arbitrary option values.
//
// The input is text, one option per line: "<name> <value>" or "<name>" alone
// (a flag). A name that is not one of kNames below is mapped onto one of
// them, so mutations stay on options msopt reads. The options are set with
// PetscOptionsSetValue, then read the way `msopt data` and `msopt train` do:
// MultiscaleSpec, SpectrumSettings, TrainSettings, scale groups of a fixed
// spectrum at the given -spec_gap_ratio, the optimizer of -opt_type (a few
// steps, its state saved and restored), a small generated dataset, and every
// Options getter on every name. msopt::Error is the expected outcome of a bad
// value; a crash, sanitizer report, hang or other exception is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/options.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/linalg/scale_groups.hpp"
#include "msopt/linalg/spectrum.hpp"
#include "msopt/optim/optimizer.hpp"
#include "msopt/train/trainer.hpp"

namespace {

const char* const kNames[] = {
    "-data_n",        "-data_dims",      "-data_scales",    "-data_dist",      "-data_rotate",
    "-data_shift",    "-data_target",    "-data_noise",     "-data_seed",      "-spec_method",
    "-spec_nev",      "-spec_gap_ratio", "-opt_type",       "-opt_tol",        "-opt_max_it",
    "-opt_lr",        "-opt_momentum",   "-opt_divergence_factor", "-mrgd_eta", "-mrgd_rates",
    "-mrgd_counts",   "-mrgd_order",     "-checkpoint_every", "-checkpoint_keep", "-checkpoint_file",
    "-progress_seconds", "-quiet",       "-help",
};
constexpr size_t kNameCount = sizeof kNames / sizeof kNames[0];

const char* resolve(const std::string& word) {
  for (const char* name : kNames)
    if (word == name) return name;
  size_t hash = 0;
  for (unsigned char c : word) hash = hash * 31 + c;
  return kNames[hash % kNameCount];
}

// A spectrum with four clear scale groups at the default gap ratio 3; other
// ratios merge or split them.
const std::vector<double> kSpectrum = {4.0, 3.1, 2.2, 0.5, 0.41, 0.3, 0.012, 0.01, 0.004, 2e-5, 1e-5};

template <class F>
void expect_error_only(F&& f) {
  try {
    f();
  } catch (const msopt::Error&) {
  }
}

void run_readers() {
  std::unique_ptr<msopt::Options> made;  // the constructor reads -watchdog_seconds
  expect_error_only([&] { made = std::make_unique<msopt::Options>(PETSC_COMM_SELF, "fuzz", "option readers under fuzzing"); });
  if (!made) return;
  msopt::Options& o = *made;

  expect_error_only([&] {
    auto spec = msopt::MultiscaleSpec::from_options(o);
    if (o.help_requested()) return;
    const PetscInt d = spec.dim();  // as `msopt data` does
    // Generate when small: exercises the distributions, rotation and targets.
    if (spec.n <= 64 && d > 0 && d <= 32) {
      msopt::Dataset data = msopt::generate_multiscale(spec, PETSC_COMM_SELF);
      if (data.X.size() != static_cast<size_t>(spec.n * d)) std::abort();
    }
  });

  msopt::SpectrumSettings spectrum;
  expect_error_only([&] { spectrum = msopt::SpectrumSettings::from_options(o); });
  expect_error_only([&] { msopt::TrainSettings::from_options(o); });

  expect_error_only([&] {
    const std::string type = o.choice("-opt_type", "mrgd", msopt::optimizer_names(), "optimizer");
    auto created = msopt::create_optimizer(type);
    created->set_from_options(o);
    if (o.help_requested() || !created->steps()) return;
    msopt::ProblemInfo info;
    info.dim = 5;
    info.groups = msopt::detect_scale_groups(kSpectrum, spectrum.gap_ratio);
    created->set_up(info);
    auto* optimizer = static_cast<msopt::StepOptimizer*>(created.get());
    (void)optimizer->view();
    std::vector<double> w(info.dim, 1.0), g(info.dim, 0.5);
    for (int k = 0; k < 8; ++k) optimizer->step(w, g);
    (void)optimizer->current_rate();
    optimizer->set_state(optimizer->state());
  });

  // Every getter on every name.
  for (const char* name : kNames) {
    expect_error_only([&] { o.integer(name, 1, "h"); });
    expect_error_only([&] { o.positive_integer(name, 1, "h"); });
    expect_error_only([&] { o.nonnegative_integer(name, 1, "h"); });
    expect_error_only([&] { o.real(name, 1.0, "h"); });
    expect_error_only([&] { o.positive_real(name, 1.0, "h"); });
    expect_error_only([&] { o.string(name, "x", "h"); });
    expect_error_only([&] { o.required_string(name, "h"); });
    expect_error_only([&] { o.choice(name, "a", {"a", "bb", ""}, "h"); });
    expect_error_only([&] { o.flag(name, "h"); });
    expect_error_only([&] { o.real_list(name, "h"); });
    expect_error_only([&] { o.integer_list(name, "h"); });
    (void)o.given(name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  msopt::fuzz::initialize_petsc("fuzz_options");
  PetscOptionsClear(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t start = 0;
  for (int lines = 0; start < text.size() && lines < 32; ++lines) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    line = line.c_str();  // PETSc sees C strings: stop at a NUL
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    const char* name = resolve(line.substr(0, space));
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    PetscOptionsSetValue(nullptr, name, space == std::string::npos ? nullptr : value.c_str());
  }
  run_readers();  // anything but msopt::Error propagates: std::terminate is a finding
  PetscOptionsClear(nullptr);
  return 0;
}
