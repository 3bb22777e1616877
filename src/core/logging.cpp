#include "msopt/core/logging.hpp"

#include "msopt/core/error.hpp"

namespace msopt {

const LogRegistry& log_registry() {
  static const LogRegistry registry = [] {
    LogRegistry r;
    PetscClassId id = 0;
    MSOPT_PETSC(PetscClassIdRegister("msopt", &id));
    MSOPT_PETSC(PetscLogStageRegister("msopt data", &r.data));
    MSOPT_PETSC(PetscLogStageRegister("msopt spectrum", &r.spectrum));
    MSOPT_PETSC(PetscLogStageRegister("msopt train", &r.train));
    MSOPT_PETSC(PetscLogEventRegister("GradCompute", id, &r.gradient_compute));
    MSOPT_PETSC(PetscLogEventRegister("GradAllreduce", id, &r.gradient_reduce));
    MSOPT_PETSC(PetscLogEventRegister("SpectrumSolve", id, &r.spectrum_solve));
    MSOPT_PETSC(PetscLogEventRegister("CheckpointWrite", id, &r.checkpoint_write));
    MSOPT_PETSC(PetscLogEventRegister("DataRead", id, &r.data_read));
    MSOPT_PETSC(PetscLogEventRegister("DataWrite", id, &r.data_write));
    return r;
  }();
  return registry;
}

double event_seconds(PetscLogStage stage, PetscLogEvent event) {
  PetscEventPerfInfo info;
  PetscMemzero(&info, sizeof info);
  MSOPT_PETSC(PetscLogEventGetPerfInfo(stage, event, &info));
  return info.time;
}

}  // namespace msopt
