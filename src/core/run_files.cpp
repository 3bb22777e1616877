#include "msopt/core/run_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "msopt/core/error.hpp"
#include "msopt/core/termination.hpp"
#include "msopt/core/text_files.hpp"

namespace msopt {

namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

std::string kind_of(const struct stat& info) {
  if (S_ISDIR(info.st_mode)) return "a folder";
  if (S_ISFIFO(info.st_mode)) return "a FIFO";
  if (S_ISSOCK(info.st_mode)) return "a socket";
  if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) return "a device";
  return "not a regular file";
}

// The same file: one inode, or (not yet there) one resolved path.
struct Identity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string resolved;
  bool operator==(const Identity& o) const {
    return exists && o.exists ? device == o.device && inode == o.inode : resolved == o.resolved;
  }
};

Identity identity_of(const std::string& path) {
  Identity id;
  std::error_code error;
  id.resolved = fs::weakly_canonical(fs::absolute(path), error).string();
  struct stat info {};
  if (stat(path.c_str(), &info) == 0) id.exists = true, id.device = info.st_dev, id.inode = info.st_ino;
  return id;
}

std::string first_line(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

// Whether `path` is one of the numbered checkpoints "<stem>.<10 digits>.<extension>".
bool is_numbered_checkpoint(const std::string& path, const std::string& stem) {
  const fs::path p(path), s(stem);
  const std::string file = p.filename().string(), prefix = s.filename().string() + ".";
  if (file.size() < prefix.size() + 11 || file.compare(0, prefix.size(), prefix) != 0 ||
      file.find_first_not_of("0123456789", prefix.size()) != prefix.size() + 10 || file[prefix.size() + 10] != '.')
    return false;
  auto folder = [](const fs::path& x) { return x.parent_path().empty() ? std::string(".") : x.parent_path().string(); };
  return identity_of(folder(p)) == identity_of(folder(s));
}

std::string folder_problem(const std::string& option, const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  const std::string folder = parent.empty() ? "." : parent.string();
  struct stat info {};
  if (stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    return "option " + option + ": the folder " + quoted(folder) + " of " + quoted(path) + " does not exist";
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    return "option " + option + ": the folder " + quoted(folder) + " of " + quoted(path) + " is not writable";
  if (stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    return "option " + option + ": " + quoted(path) + " is " + kind_of(info) + ", not a file to write";
  return "";
}

std::string who_am_i() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  char when[64] = "";
  const std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  return "pid " + std::to_string(getpid()) + " on " + host + ", started " + when;
}

}  // namespace

std::string regular_file_problem(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return "cannot read file " + quoted(path) + " (it does not exist)";
  if (!S_ISREG(info.st_mode)) return quoted(path) + " is " + kind_of(info) + ", not a file to read";
  if (access(path.c_str(), R_OK) != 0) return "cannot read file " + quoted(path) + " (permission denied)";
  return "";
}

void require_free_space(const std::string& path, double bytes, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  double available = 0;
  const double needed = bytes * 1.01 + (1 << 20);
  if (rank == 0) {
    const fs::path parent = fs::path(path).parent_path();
    struct statvfs info {};
    available = statvfs(parent.empty() ? "." : parent.c_str(), &info) == 0
                    ? static_cast<double>(info.f_bavail) * static_cast<double>(info.f_frsize)
                    : needed;  // unknown: let the write itself tell
  }
  MPI_Bcast(&available, 1, MPI_DOUBLE, 0, comm);
  char text[200];
  std::snprintf(text, sizeof text, " needs %.1f MiB, its disk has %.1f MiB free", needed / (1 << 20),
                available / (1 << 20));
  require(available >= needed, quoted(path) + text);
}

RunFiles::RunFiles(MPI_Comm comm) : comm_(comm) {}

RunFiles::~RunFiles() {
  for (auto& [fd, path] : locks_) {
    unlink(path.c_str());
    close(fd);
  }
  for (int slot : lock_watches_) unwatch_path(slot);
}

void RunFiles::input(const std::string& option, const std::string& path, bool may_be_stem) {
  struct stat info {};
  if (path.empty() || (may_be_stem && lstat(path.c_str(), &info) != 0)) return;
  entries_.push_back({option, path, "", Entry::kInput});
}

void RunFiles::output(const std::string& option, const std::string& path, const std::string& csv,
                      const std::string& csv_header) {
  if (path.empty()) return;
  entries_.push_back({option, path, "", Entry::kOutput});
  if (!csv.empty()) entries_.push_back({option, csv, csv_header, Entry::kSibling});
}

void RunFiles::sibling(const std::string& option, const std::string& path) {
  if (!path.empty()) entries_.push_back({option, path, "", Entry::kSibling});
}

void RunFiles::appended(const std::string& option, const std::string& path) {
  if (!path.empty()) entries_.push_back({option, path, "", Entry::kAppended});
}

void RunFiles::checkpoints(const std::string& option, const std::string& base) {
  if (!base.empty()) entries_.push_back({option, base, "", Entry::kCheckpoints});
}

std::string RunFiles::problem() const {
  for (const auto& e : entries_) {
    const std::string p = e.kind == Entry::kInput ? regular_file_problem(e.path) : folder_problem(e.option, e.path);
    if (!p.empty()) return e.kind == Entry::kInput ? "option " + e.option + ": " + p : p;
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& out = entries_[i];
    if (out.kind == Entry::kInput) continue;
    const Identity id = identity_of(out.path);
    const std::string stem = path_stem(out.path);
    for (size_t j = 0; j < entries_.size(); ++j) {
      const Entry& other = entries_[j];
      if (j == i || (other.kind != Entry::kInput && j < i)) continue;
      const bool numbered = out.kind == Entry::kCheckpoints && is_numbered_checkpoint(other.path, stem);
      if (other.kind == Entry::kInput) {
        if (out.kind == Entry::kCheckpoints && other.option == "-restart") continue;  // resumes that series
        if (identity_of(other.path) == id || numbered)
          return "option " + out.option + ": " + quoted(out.path) + (numbered ? " would prune " : " is ") + "the input " +
                 quoted(other.path) + " of " + other.option + (numbered ? "" : "; it would be overwritten");
      } else if (identity_of(other.path) == id || numbered ||
                 (other.kind == Entry::kCheckpoints && is_numbered_checkpoint(out.path, path_stem(other.path)))) {
        return "options " + out.option + " and " + other.option + " name the same file " + quoted(other.path) +
               (out.option == other.option ? " (the CSV written beside it takes its name: name the HDF5 file .h5)" : "");
      }
    }
  }
  for (const auto& e : entries_)
    if (!e.csv_header.empty() && fs::exists(e.path) && first_line(e.path) != e.csv_header)
      return "option " + e.option + ": " + quoted(e.path) + " exists and is not a CSV msopt writes there (first line '" +
             e.csv_header + "'); move it away or choose another name";
  return "";
}

std::string RunFiles::lock_all() {
  std::vector<std::pair<std::string, std::string>> stems;  // lock file, option
  for (const auto& e : entries_)
    if (e.kind == Entry::kOutput || e.kind == Entry::kCheckpoints) {
      const std::string lock = identity_of(path_stem(e.path) + ".lock").resolved;
      bool seen = false;
      for (const auto& s : stems) seen = seen || s.first == lock;
      if (!seen) stems.emplace_back(lock, e.option);
    }
  for (const auto& [path, option] : stems) {
    for (int attempt = 0;; ++attempt) {
      const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) return "option " + option + ": cannot create the lock file " + quoted(path);
      if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        std::string holder = first_line(path);
        close(fd);
        return "option " + option + ": another run is writing to " + quoted(path_stem(path) + ".*") + " (" +
               (holder.empty() ? "its lock file is " + quoted(path) : holder) + ")";
      }
      // The holder before us may have removed the file between our open and lock: lock the file that is there.
      struct stat held {}, named {};
      if (fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
          held.st_dev == named.st_dev) {
        const std::string text = "msopt " + who_am_i() + "\n";
        if (ftruncate(fd, 0) != 0 || write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
          const std::string reason = std::strerror(errno);
          unlink(path.c_str());
          close(fd);
          return "option " + option + ": cannot write the lock file " + quoted(path) + ": " + reason;
        }
        locks_.emplace_back(fd, path);
        lock_watches_.push_back(watch_path(path));
        break;
      }
      close(fd);
      if (attempt > 10) return "option " + option + ": cannot lock " + quoted(path);
    }
  }
  return "";
}

void RunFiles::check() {
  int rank = 0;
  MPI_Comm_rank(comm_, &rank);
  std::string message = rank == 0 ? problem() : "";
  check_all(comm_, message.empty(), message);
  if (rank == 0) message = lock_all();
  check_all(comm_, message.empty(), message);
}

}  // namespace msopt
