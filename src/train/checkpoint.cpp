#include "msopt/train/checkpoint.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "msopt/core/error.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/logging.hpp"

namespace msopt {

namespace {

namespace fs = std::filesystem;

void crc_add(uLong& crc, const std::vector<double>& values) {
  if (values.empty()) return;  // crc32(crc, Z_NULL, 0) would restart the checksum
  crc = crc32(crc, reinterpret_cast<const Bytef*>(values.data()), static_cast<uInt>(values.size() * sizeof(double)));
}

// CRC-32 (zlib) of everything a checkpoint restores.
double checksum(const Checkpoint& c) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc_add(crc, {static_cast<double>(c.iteration), c.fingerprint.n_samples, c.fingerprint.dim,
                c.fingerprint.reference_norm});
  crc = crc32(crc, reinterpret_cast<const Bytef*>(c.fingerprint.method.data()),
              static_cast<uInt>(c.fingerprint.method.size()));
  for (const auto* v : {&c.parameters, &c.optimizer_state, &c.history.evaluations, &c.history.residual,
                        &c.history.loss})
    crc_add(crc, *v);
  for (const auto& [name, values] : c.extras) {  // none in plain runs: their checksum is unchanged
    crc = crc32(crc, reinterpret_cast<const Bytef*>(name.data()), static_cast<uInt>(name.size()));
    crc_add(crc, values);
  }
  return static_cast<double>(crc);
}

// "<dir>/<stem>" and ".h5" of base "<dir>/<stem>.h5".
std::pair<std::string, std::string> split_extension(const std::string& base) {
  const std::string stem = path_stem(base);
  return {stem, base.substr(stem.size())};
}

const char kOptimizerKey[] = "(optimizer)";

const char* const kRunControlOptions[] = {
    "-history_out", "-checkpoint_every", "-checkpoint_keep", "-checkpoint_file", "-restart", "-restart_override",
    "-quiet", "-progress_seconds", "-watchdog_seconds", "-timing_out", "-timing_label", "-opt_max_it", "-opt_tol",
    "-opt_divergence_factor", "-data_file", "-model_start", "-spec_file", "-mgdl_out", "-restore_out", "-mgdl_test",
    "-mgdl_eig_every", "-mgdl_eig_nev", "-mgdl_predictions", "-restore_psnr_every", "-spec_out"};

std::map<std::string, std::string> parse_settings(const std::string& text) {
  std::map<std::string, std::string> settings;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) settings[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return settings;
}

bool overridden(const std::vector<std::string>& overrides, const std::string& name) {
  for (const auto& o : overrides)
    if (o == "all" || o == name) return true;
  return false;
}

// The differences between the checkpoint's settings and the run's: an Error
// naming the first one not overridden, or the list of overridden ones.
std::string compare_settings(const std::string& path, const std::string& stored, const ProblemFingerprint& run) {
  auto before = parse_settings(stored), now = parse_settings(run.settings);
  for (const auto& [name, value] : now) before.emplace(name, "(not set)");
  std::string allowed;
  for (const auto& [name, old_value] : before) {
    const auto it = now.find(name);
    const std::string new_value = it == now.end() ? "(not set)" : it->second;
    if (new_value == old_value || name == kOptimizerKey) continue;
    require(overridden(run.overrides, name), "option " + name + ": " + new_value + ", but the checkpoint '" + path +
                                                 "' was written with " + old_value + " (-restart_override " +
                                                 name.substr(1) + " resumes with the new value)");
    allowed += name + ": " + old_value + " -> " + new_value + "\n";
  }
  // Options equal, yet other rates (a spectrum computed anew, -spec_file of other groups).
  const std::string old_optimizer = before[kOptimizerKey], new_optimizer = now[kOptimizerKey];
  require(old_optimizer == new_optimizer || !run.overrides.empty(),
          "the optimizer's parameters differ from those the checkpoint '" + path + "' was written with (was: " +
              old_optimizer + "; now: " + new_optimizer + "); -restart_override all resumes anyway");
  return allowed;
}

}  // namespace

std::string trajectory_settings(const std::vector<std::pair<std::string, std::string>>& values,
                                const std::string& optimizer) {
  std::string text = std::string(kOptimizerKey) + "\t";
  for (char c : optimizer) text += c == '\n' ? std::string(" | ") : std::string(1, c);
  text += "\n";
  for (const auto& [name, value] : values) {
    bool control = name.compare(0, 7, "-track_") == 0;
    for (const char* c : kRunControlOptions) control = control || name == c;
    if (!control) text += name + "\t" + value + "\n";
  }
  return text;
}

void write_checkpoint(const std::string& path, MPI_Comm comm, const Checkpoint& c) {
  ScopedEvent event(log_registry().checkpoint_write);
  H5File file = H5File::create_atomic(path, comm);
  file.write_array("parameters", c.parameters);
  file.write_array("optimizer_state", c.optimizer_state);
  file.write_array("history_evaluations", c.history.evaluations);
  file.write_array("history_residual", c.history.residual);
  file.write_array("history_loss", c.history.loss);
  file.write_attribute("iteration", std::vector<double>{static_cast<double>(c.iteration)});
  file.write_attribute("problem", std::vector<double>{c.fingerprint.n_samples, c.fingerprint.dim,
                                                      c.fingerprint.reference_norm});
  file.write_attribute("method", c.fingerprint.method);
  std::string names;
  for (const auto& [name, values] : c.extras) {
    require(!name.empty() && name.find(',') == std::string::npos, "checkpoint extra names must be non-empty, no commas");
    file.write_array("extra_" + name, values);
    names += (names.empty() ? "" : ",") + name;
  }
  if (!c.extras.empty()) file.write_attribute("extras", names);
  if (!c.fingerprint.settings.empty()) file.write_text("settings", c.fingerprint.settings);
  file.write_attribute("checksum", std::vector<double>{checksum(c)});
  file.commit();
}

Checkpoint read_checkpoint(const std::string& path, MPI_Comm comm, const ProblemFingerprint& expected) {
  H5File file = H5File::open(path, comm);
  for (const char* name : {"parameters", "optimizer_state", "history_evaluations", "history_residual", "history_loss"})
    require(file.has(name), "'" + path + "' is not an msopt checkpoint (no /" + name + ")");
  for (const char* name : {"iteration", "problem", "method", "checksum"})
    require(file.has_attribute(name), "'" + path + "' is not an msopt checkpoint (no attribute " + name + ")");
  Checkpoint c;
  auto problem = file.read_number_attribute("problem");
  require(problem.size() == 3, "'" + path + "': malformed problem attribute");
  c.fingerprint = {problem[0], problem[1], problem[2], file.read_text_attribute("method"), "", {}};
  c.iteration = static_cast<PetscInt>(file.read_number_attribute("iteration").at(0));
  c.parameters = file.read_array("parameters");
  c.optimizer_state = file.read_array("optimizer_state");
  c.history.evaluations = file.read_array("history_evaluations");
  c.history.residual = file.read_array("history_residual");
  c.history.loss = file.read_array("history_loss");
  if (file.has_attribute("extras")) {
    const std::string names = file.read_text_attribute("extras");
    for (size_t start = 0; start <= names.size();) {
      size_t end = names.find(',', start);
      if (end == std::string::npos) end = names.size();
      const std::string name = names.substr(start, end - start);
      require(file.has("extra_" + name), "'" + path + "' is damaged (no /extra_" + name + ")");
      c.extras.emplace_back(name, file.read_array("extra_" + name));
      start = end + 1;
    }
  }
  require(file.read_number_attribute("checksum").at(0) == checksum(c),
          "'" + path + "' is damaged (checksum mismatch)");
  require(c.fingerprint.n_samples == expected.n_samples && c.fingerprint.dim == expected.dim &&
              std::fabs(c.fingerprint.reference_norm - expected.reference_norm) <=
                  1e-12 * std::fabs(expected.reference_norm),
          "restart file '" + path + "' belongs to another problem (N=" + std::to_string(problem[0]) +
              ", d=" + std::to_string(problem[1]) + ", ||b||=" + std::to_string(problem[2]) + ")");
  require(c.fingerprint.method == expected.method, "restart file '" + path + "' was written by -opt_type " +
                                                       c.fingerprint.method + ", not " + expected.method);
  if (file.has("settings")) c.fingerprint.settings = file.read_text("settings");
  require(static_cast<double>(c.parameters.size()) == expected.dim, "'" + path + "': parameter vector has wrong length");
  bool finite = true;
  for (double v : c.parameters) finite = finite && std::isfinite(v);
  require(finite, "'" + path + "': non-finite parameters in the checkpoint");
  require(c.history.size() == static_cast<size_t>(c.iteration) && c.history.evaluations.size() == c.history.size() &&
              c.history.loss.size() == c.history.size(),
          "'" + path + "': history length does not match the iteration");
  return c;
}

CheckpointSeries::CheckpointSeries(std::string base, PetscInt keep, MPI_Comm comm)
    : base_(std::move(base)), keep_(keep), comm_(comm) {}

std::string CheckpointSeries::numbered(const std::string& base, PetscInt iteration) {
  auto [stem, extension] = split_extension(base);
  char number[32];
  std::snprintf(number, sizeof number, ".%010d", static_cast<int>(iteration));
  return stem + number + (extension.empty() ? ".h5" : extension);
}

std::vector<std::string> CheckpointSeries::existing(const std::string& base, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string joined;  // rank 0 lists the directory; everyone gets its list
  if (rank == 0) {
    auto [stem, extension] = split_extension(base);
    fs::path dir = fs::path(stem).parent_path();
    const std::string prefix = fs::path(stem).filename().string() + ".";
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, error)) {
      const std::string name = entry.path().filename().string();
      const std::string ext = extension.empty() ? ".h5" : extension;
      if (name.size() == prefix.size() + 10 + ext.size() && name.compare(0, prefix.size(), prefix) == 0 &&
          name.compare(name.size() - ext.size(), ext.size(), ext) == 0 &&
          name.find_first_not_of("0123456789", prefix.size()) == prefix.size() + 10)
        names.push_back((dir / name).string());
    }
    std::sort(names.rbegin(), names.rend());  // zero-padded numbers: newest first
    for (const auto& n : names) joined += n + '\n';
  }
  int length = static_cast<int>(joined.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, comm);
  joined.resize(length);
  MPI_Bcast(joined.data(), length, MPI_CHAR, 0, comm);
  std::vector<std::string> names;
  for (size_t start = 0, end; (end = joined.find('\n', start)) != std::string::npos; start = end + 1)
    names.push_back(joined.substr(start, end - start));
  return names;
}

void CheckpointSeries::write(const Checkpoint& checkpoint) {
  write_checkpoint(numbered(base_, checkpoint.iteration), comm_, checkpoint);
  int rank = 0;
  MPI_Comm_rank(comm_, &rank);
  auto all = existing(base_, comm_);
  if (rank == 0)
    for (size_t k = static_cast<size_t>(keep_); k < all.size(); ++k) std::remove(all[k].c_str());
}

namespace {

// Newest first by the iteration stored in each file, not by its name (a
// copied or renamed checkpoint counts for what it holds); an unreadable one
// by the number in its name (read_checkpoint then says what is wrong).
std::vector<std::string> by_stored_iteration(const std::vector<std::string>& paths, MPI_Comm comm) {
  std::vector<std::pair<double, std::string>> keyed;
  for (const auto& path : paths) {
    const std::string name = fs::path(path).stem().string();  // "<stem>.<10 digits>"
    double iteration = std::atof(name.substr(name.size() >= 10 ? name.size() - 10 : 0).c_str());
    try {
      H5File file = H5File::open(path, comm);
      if (file.has_attribute("iteration")) iteration = file.read_number_attribute("iteration").at(0);
    } catch (const Error&) {
    }
    keyed.emplace_back(iteration, path);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> sorted;
  for (const auto& entry : keyed) sorted.push_back(entry.second);
  return sorted;
}

}  // namespace

Resumed resume_checkpoint(const std::string& base, MPI_Comm comm, const ProblemFingerprint& expected) {
  auto candidates = by_stored_iteration(CheckpointSeries::existing(base, comm), comm);
  if (candidates.empty()) candidates.push_back(base);  // an explicit file (or a clear error for it)
  std::string problems;
  for (const auto& path : candidates) {
    std::string reason;
    Checkpoint c;
    int all_ok = 0;
    try {
      c = read_checkpoint(path, comm, expected);
      int ok = 1;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm);
      reason = "unreadable on another rank";
    } catch (const std::exception& e) {  // Error (collective) or a failed read on this rank
      int ok = 0, all_ok = 0;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm);
      reason = e.what();
    }
    if (all_ok) {  // a valid checkpoint of other settings is refused, not skipped for an older one
      if (!c.fingerprint.settings.empty()) c.overridden = compare_settings(path, c.fingerprint.settings, expected);
      return {std::move(c), path};
    }
    if (candidates.size() == 1) throw Error(reason);
    PetscFPrintf(comm, PETSC_STDERR, "msopt: warning: skipping checkpoint: %s\n", reason.c_str());
    problems += (problems.empty() ? "" : "; ") + reason;
  }
  throw Error("no valid checkpoint for '" + base + "': " + problems);
}

}  // namespace msopt
