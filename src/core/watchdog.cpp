#include "msopt/core/watchdog.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "msopt/core/termination.hpp"

namespace msopt::watchdog {

namespace {

using Clock = std::chrono::steady_clock;

double now_seconds() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

std::atomic<double> last_beat{0};
std::atomic<double> slowest_gap{0};
std::atomic<double> floor_limit{0};
std::atomic<const char*> current_phase{"start-up"};
std::atomic<bool> running{false};
int my_rank = 0;

// Ends the job from the watchdog thread: one line, then _exit (mpiexec ends
// the other ranks). Only async-signal-safe calls: the main thread may hold
// any lock.
[[noreturn]] void fire(double idle) {
  char line[320];
  const int n = std::snprintf(line, sizeof line,
                              "msopt: error: watchdog: no progress for %.0f s in phase '%s' on rank %d (a rank stalled, "
                              "died or is stuck in a library; -watchdog_seconds sets the limit, 0 turns it off)\n",
                              idle, current_phase.load(), my_rank);
  if (n > 0) (void)!write(STDERR_FILENO, line, static_cast<size_t>(std::min<int>(n, sizeof line - 1)));
  remove_watched_paths();
  _exit(3);
}

void watch() {
  const double stagger = 2.0 * my_rank;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const double floor = floor_limit.load();
    if (floor <= 0) continue;
    const double idle = now_seconds() - last_beat.load();
    if (idle > floor + kSlowestGapFactor * slowest_gap.load() + stagger) fire(idle);
  }
}

}  // namespace

void start(double floor_seconds, int rank) {
  my_rank = rank;
  last_beat = now_seconds();
  floor_limit = floor_seconds;
  if (running.exchange(true)) return;
  std::thread(watch).detach();
}

void set_floor(double floor_seconds) {
  floor_limit = floor_seconds;
  last_beat = now_seconds();
}

void beat(const char* phase) {
  const double now = now_seconds();
  const double gap = now - last_beat.load(std::memory_order_relaxed);
  if (gap > slowest_gap.load(std::memory_order_relaxed)) slowest_gap.store(gap, std::memory_order_relaxed);
  last_beat.store(now, std::memory_order_relaxed);
  current_phase.store(phase, std::memory_order_relaxed);
}

}  // namespace msopt::watchdog
