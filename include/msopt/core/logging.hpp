// PETSc log stages and events of msopt, so that -log_view separates
// computation from communication and I/O, and the scaling study can read the
// times back (PetscLogEventGetPerfInfo).
#pragma once
#include <petsclog.h>

namespace msopt {

struct LogRegistry {
  PetscLogStage data = 0, spectrum = 0, train = 0;
  PetscLogEvent gradient_compute = 0;  // local rows of a gradient or H v
  PetscLogEvent gradient_reduce = 0;   // the one MPI_Allreduce (or reduce-scatter) per evaluation
  PetscLogEvent spectrum_solve = 0;    // SLEPc eigensolves
  PetscLogEvent checkpoint_write = 0;
  PetscLogEvent data_read = 0, data_write = 0;
};

// Registers on first use (after PetscInitialize).
const LogRegistry& log_registry();

// Time of `event` in `stage` on this rank, in seconds (0 unless logging is on).
double event_seconds(PetscLogStage stage, PetscLogEvent event);

class ScopedEvent {
 public:
  explicit ScopedEvent(PetscLogEvent event) : event_(event) { PetscLogEventBegin(event_, 0, 0, 0, 0); }
  ~ScopedEvent() { PetscLogEventEnd(event_, 0, 0, 0, 0); }
  ScopedEvent(const ScopedEvent&) = delete;
  ScopedEvent& operator=(const ScopedEvent&) = delete;

 private:
  PetscLogEvent event_;
};

class ScopedStage {
 public:
  explicit ScopedStage(PetscLogStage stage) { PetscLogStagePush(stage); }
  ~ScopedStage() { PetscLogStagePop(); }
  ScopedStage(const ScopedStage&) = delete;
  ScopedStage& operator=(const ScopedStage&) = delete;
};

}  // namespace msopt
