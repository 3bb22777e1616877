// The watchdog: a thread on every rank that ends the whole job with one line
// when this rank makes no progress for too long (a stalled or dead rank, a
// library stuck in a loop, a full disk under a collective write). Progress
// is a beat(): each gradient, H v product, checkpoint and data block beats.
// The limit is a floor plus a multiple of the slowest gap between beats seen
// so far, so a healthy run never reaches it. beat() is a few atomic stores.
#pragma once

namespace msopt::watchdog {

// Starts the thread (before MPI_Init, so a rank that never arrives is caught
// too). floor_seconds <= 0: off. `rank` staggers the ranks by 2 s so that
// the lowest rank whose limit passes speaks alone.
void start(double floor_seconds, int rank);
// A new floor from -watchdog_seconds (0: off).
void set_floor(double floor_seconds);
// Progress in `phase` (a string literal: it is kept by pointer).
void beat(const char* phase);
// The floor when -watchdog_seconds is not given.
constexpr double kDefaultFloorSeconds = 600;
// Multiple of the slowest gap between beats added to the floor.
constexpr double kSlowestGapFactor = 10;

}  // namespace msopt::watchdog
