// SIGTERM, SIGINT, SIGHUP (scancel, a SLURM time limit, Ctrl-C): the files
// this process is in the middle of writing and its lock files are removed,
// rank 0 prints one line, and the process ends with 128 + the signal.
// Finished outputs and earlier checkpoints stay as they were, so a restart
// continues from the newest checkpoint.
#pragma once
#include <string>

namespace msopt {

void install_termination_handlers(int rank);

// A file removed if a termination signal arrives; the returned slot is
// given back with unwatch_path once the file is complete or gone.
int watch_path(const std::string& path);
void unwatch_path(int slot);
// Removes every watched file now (async-signal-safe: for the watchdog and
// other ways out that skip destructors).
void remove_watched_paths();

}  // namespace msopt
