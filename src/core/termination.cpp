#include "msopt/core/termination.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>

namespace msopt {

namespace {

constexpr int kSlots = 32;
constexpr size_t kPathBytes = 4096;
char watched[kSlots][kPathBytes];
std::atomic<bool> in_use[kSlots];
int my_rank = 0;

}  // namespace

void remove_watched_paths();

namespace {

// Async-signal-safe: unlink, write and _exit only.
void on_termination(int signal) {
  remove_watched_paths();
  if (my_rank == 0) {
    char line[160];
    const int n = std::snprintf(line, sizeof line,
                                "msopt: error: stopped by signal %d (%s); finished files and earlier checkpoints are "
                                "kept: -restart resumes\n",
                                signal, signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "SIGHUP");
    if (n > 0) (void)!write(STDERR_FILENO, line, static_cast<size_t>(n) < sizeof line ? n : sizeof line - 1);
  }
  _exit(128 + signal);
}

}  // namespace

void remove_watched_paths() {
  for (int k = 0; k < kSlots; ++k)
    if (in_use[k].load()) unlink(watched[k]);
}

void install_termination_handlers(int rank) {
  my_rank = rank;
  struct sigaction action {};
  action.sa_handler = on_termination;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaction(s, &action, nullptr);
}

int watch_path(const std::string& path) {
  if (path.size() >= kPathBytes) return -1;
  for (int k = 0; k < kSlots; ++k) {
    if (in_use[k].load()) continue;
    std::memcpy(watched[k], path.c_str(), path.size() + 1);
    in_use[k].store(true);
    return k;
  }
  return -1;
}

void unwatch_path(int slot) {
  if (slot >= 0 && slot < kSlots) in_use[slot].store(false);
}

}  // namespace msopt
