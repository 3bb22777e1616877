#include "msopt/train/checkpoint.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "msopt/core/error.hpp"
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
  fs::path p(base);
  return {(p.parent_path() / p.stem()).string(), p.extension().string()};
}

}  // namespace

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
  c.fingerprint = {problem[0], problem[1], problem[2], file.read_text_attribute("method")};
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

Resumed resume_checkpoint(const std::string& base, MPI_Comm comm, const ProblemFingerprint& expected) {
  auto candidates = CheckpointSeries::existing(base, comm);
  if (candidates.empty()) candidates.push_back(base);  // an explicit file (or a clear error for it)
  std::string problems;
  for (const auto& path : candidates) {
    std::string reason;
    try {
      Checkpoint c = read_checkpoint(path, comm, expected);
      int ok = 1, all_ok = 0;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm);
      if (all_ok) return {std::move(c), path};
      reason = "unreadable on another rank";
    } catch (const std::exception& e) {  // Error (collective) or a failed read on this rank
      int ok = 0, all_ok = 0;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, comm);
      reason = e.what();
    }
    if (candidates.size() == 1) throw Error(reason);
    PetscFPrintf(comm, PETSC_STDERR, "msopt: warning: skipping checkpoint: %s\n", reason.c_str());
    problems += (problems.empty() ? "" : "; ") + reason;
  }
  throw Error("no valid checkpoint for '" + base + "': " + problems);
}

}  // namespace msopt
