#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/data/multiscale_generator.hpp"

namespace msopt::apps {

int run_data(MPI_Comm comm, const std::string& kind) {
  require(kind == "multiscale", "unknown data source '" + kind + "' (known: multiscale)");
  Options o(comm, "data multiscale", "generate multiscale data (MrGD paper, Assumption 2.1) into HDF5");
  auto spec = MultiscaleSpec::from_options(o);
  auto path = o.required_string("-data_out", "HDF5 file to write");
  if (o.finish()) return 0;
  ScopedStage stage(log_registry().data);
  double t0 = MPI_Wtime();
  Dataset data = generate_multiscale(spec, comm);
  write_dataset(path, data);
  PetscPrintf(comm, "data: wrote %s: N = %d samples, d = %d, %zu scale groups (%.2f s)\n", path.c_str(),
              static_cast<int>(data.n_global), static_cast<int>(data.dim), spec.dims.size(), MPI_Wtime() - t0);
  return 0;
}

}  // namespace msopt::apps
