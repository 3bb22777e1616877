#include "msopt/core/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/core/watchdog.hpp"

namespace msopt {

namespace {

std::string format_real(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

bool parse_real(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end && *end == '\0';
}

bool parse_integer(const std::string& text, PetscInt& out) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  out = static_cast<PetscInt>(v);
  return !text.empty() && end && *end == '\0' && v == static_cast<long long>(out);
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) parts.push_back(item);
  return parts;
}

}  // namespace

namespace {
std::vector<std::string>* collected_names = nullptr;
}  // namespace

void Options::collect_names(std::vector<std::string>* sink) { collected_names = sink; }

Options::Options(MPI_Comm comm, std::string command, std::string summary)
    : comm_(comm), command_(std::move(command)), summary_(std::move(summary)) {
  section_.count = 1;  // one pass, no GUI (PetscOptionsBegin without -options_monitor / SAWs publishing)
  const std::string title = "msopt " + command_ + ": " + summary_;
  MSOPT_PETSC(PetscOptionsBegin_Private(&section_, comm_, nullptr, title.c_str(), "msopt"));
  section_open_ = true;
  PetscBool help = PETSC_FALSE;
  MSOPT_PETSC(PetscOptionsHasName(nullptr, nullptr, "-help", &help));
  help_ = help || collected_names;
  const double floor = real("-watchdog_seconds", watchdog::kDefaultFloorSeconds,
                            "end the job when a rank makes no progress for this long plus 10 x its slowest step "
                            "so far (0: no watchdog)");
  quiet_ = flag("-quiet", "no progress lines");
  if (help_) return;
  if (floor < 0) fail("-watchdog_seconds", "must not be negative");
  watchdog::set_floor(floor);
}

Options::~Options() {
  if (section_open_) PetscOptionsEnd_Private(&section_);
}

void Options::end_section() {
  if (!section_open_) return;
  section_open_ = false;
  MSOPT_PETSC(PetscOptionsEnd_Private(&section_));
}

bool Options::lookup(const char* name, std::string& value) const {
  char buffer[4096] = "";
  PetscBool set = PETSC_FALSE;
  MSOPT_PETSC(PetscOptionsGetString(nullptr, nullptr, name, buffer, sizeof buffer, &set));
  value = buffer;
  return set;
}

bool Options::given(const char* name) const {
  PetscBool set = PETSC_FALSE;
  MSOPT_PETSC(PetscOptionsHasName(nullptr, nullptr, name, &set));
  return set;
}

void Options::describe(const char* name, const std::string& value, const char* help) {
  if (std::find(names_.begin(), names_.end(), name) == names_.end()) {
    // After finish() only names checked there may be read: an option read
    // later would have escaped the unknown-option check.
    if (finished_) throw LocalError(std::string("internal: option ") + name + " is read after the options were checked");
    names_.emplace_back(name);
    // Registered once in this command's section: under -help PETSc prints "-name <now .. : formerly ..>: help".
    char buffer[4096] = "";
    PetscBool set = PETSC_FALSE;
    if (section_open_)
      MSOPT_PETSC(PetscOptionsString_Private(&section_, name, help, "msopt", value.c_str(), buffer, sizeof buffer, &set));
  }
  auto recorded = [name](const auto& entry) { return entry.first == name; };
  if (declaring_ || std::any_of(values_.begin(), values_.end(), recorded)) return;
  PetscBool set = PETSC_FALSE;
  char buffer[4096] = "";
  MSOPT_PETSC(PetscOptionsGetString(nullptr, nullptr, name, buffer, sizeof buffer, &set));
  values_.emplace_back(name, set ? std::string(buffer) : value);
}

void Options::declare(const std::function<void()>& read) {
  const bool help = help_;
  help_ = declaring_ = true;
  try {
    read();
  } catch (...) {
    help_ = help;
    declaring_ = false;
    throw;
  }
  help_ = help;
  declaring_ = false;
}

std::string Options::values_text() const {
  std::string text;
  for (const auto& [name, value] : values_) text += name + "\t" + value + "\n";
  return text;
}

void Options::uses_solver(const std::string& kind, const std::string& prefix) {
  solvers_.push_back({kind, prefix});
}

void Options::fail(const char* name, const std::string& problem) const {
  throw Error(std::string("option ") + name + ": " + problem);
}

PetscInt Options::integer(const char* name, PetscInt fallback, const char* help) {
  describe(name, std::to_string(fallback), help);
  std::string text;
  if (!lookup(name, text)) return fallback;
  PetscInt value = 0;
  if (!parse_integer(text, value) && !help_) fail(name, "expected an integer, got '" + text + "'");
  return value;
}

PetscInt Options::positive_integer(const char* name, PetscInt fallback, const char* help) {
  PetscInt v = integer(name, fallback, help);
  if (v <= 0 && !help_) fail(name, "must be positive, got " + std::to_string(v));
  return v;
}

PetscInt Options::nonnegative_integer(const char* name, PetscInt fallback, const char* help) {
  PetscInt v = integer(name, fallback, help);
  if (v < 0 && !help_) fail(name, "must not be negative, got " + std::to_string(v));
  return v;
}

double Options::real(const char* name, double fallback, const char* help) {
  describe(name, format_real(fallback), help);
  std::string text;
  if (!lookup(name, text)) return fallback;
  double value = 0;
  if ((!parse_real(text, value) || !std::isfinite(value)) && !help_)
    fail(name, "expected a finite number, got '" + text + "'");
  return value;
}

double Options::positive_real(const char* name, double fallback, const char* help) {
  double v = real(name, fallback, help);
  if (!(v > 0) && !help_) fail(name, "must be positive, got " + format_real(v));
  return v;
}

std::string Options::string(const char* name, const std::string& fallback, const char* help) {
  describe(name, fallback, help);
  std::string text;
  if (!lookup(name, text)) return fallback;
  if (text.empty() && !help_) fail(name, "needs a value");  // "-history_out" alone would write nothing
  return text;
}

std::string Options::required_string(const char* name, const char* help) {
  describe(name, "required", help);
  std::string text;
  if ((!lookup(name, text) || text.empty()) && !help_) fail(name, "is required");
  return text;
}

std::string Options::choice(const char* name, const std::string& fallback,
                            const std::vector<std::string>& choices, const char* help) {
  std::string all;
  for (const auto& c : choices) all += (all.empty() ? "" : "|") + c;
  describe(name, fallback, (std::string(help) + " (" + all + ")").c_str());
  std::string text;
  if (!lookup(name, text)) return fallback;
  for (const auto& c : choices)
    if (c == text) return text;
  if (!help_) fail(name, "unknown value '" + text + "', expected one of " + all);
  return fallback;
}

bool Options::flag(const char* name, const char* help) {
  describe(name, "false", help);
  PetscBool value = PETSC_FALSE, set = PETSC_FALSE;
  PetscErrorCode code = PetscOptionsGetBool(nullptr, nullptr, name, &value, &set);
  if (code && !help_) fail(name, "expected true or false");
  return set && value;
}

std::vector<double> Options::real_list(const char* name, const char* help) {
  describe(name, "comma list", help);
  std::string text;
  std::vector<double> values;
  if (!lookup(name, text)) return values;
  for (const auto& part : split_commas(text)) {
    double v = 0;
    if ((!parse_real(part, v) || !std::isfinite(v)) && !help_)
      fail(name, "expected comma-separated numbers, got '" + text + "'");
    values.push_back(v);
  }
  return values;
}

std::vector<PetscInt> Options::integer_list(const char* name, const char* help) {
  describe(name, "comma list", help);
  std::string text;
  std::vector<PetscInt> values;
  if (!lookup(name, text)) return values;
  for (const auto& part : split_commas(text)) {
    PetscInt v = 0;
    if (!parse_integer(part, v) && !help_) fail(name, "expected comma-separated integers, got '" + text + "'");
    values.push_back(v);
  }
  return values;
}

bool Options::finish() {
  end_section();
  if (collected_names) {
    collected_names->insert(collected_names->end(), names_.begin(), names_.end());
    return true;
  }
  if (!help_) {
    if (!finished_) require_known_options(comm_, names_, solvers_);
    finished_ = true;
    return false;
  }
  MSOPT_PETSC(PetscOptionsClearValue(nullptr, "-help"));  // PETSc would print its own -log_view help at the end
  return true;
}

}  // namespace msopt
