#include "msopt/core/timing_row.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "msopt/core/blas_kernel.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"

namespace msopt {

void append_timing_row(const std::string& path, MPI_Comm comm, const TimingRow& row) {
  const LogRegistry& log = log_registry();
  double local[3] = {event_seconds(log.train, log.gradient_compute), event_seconds(log.train, log.gradient_reduce),
                     event_seconds(log.data, log.data_read) + event_seconds(log.data, log.data_write) +
                         event_seconds(log.train, log.checkpoint_write)};
  double worst[3];
  MSOPT_MPI(MPI_Allreduce(local, worst, 3, MPI_DOUBLE, MPI_MAX, comm));
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  bool ok = true;
  if (rank == 0) {
    const bool fresh = access(path.c_str(), F_OK) != 0;
    // The kernel (issue 12) is the last column; a file begun before it had one keeps its columns.
    std::string header;
    if (!fresh) std::getline(std::ifstream(path), header);
    const bool with_kernel =
        fresh || (header.size() >= 12 && header.compare(header.size() - 12, 12, ",blas_kernel") == 0);
    std::ofstream out(path, std::ios::app);
    if (fresh)
      out << "label,ranks,cores,oversubscribed,n_samples,dim,iterations,seconds_per_iteration,"
             "compute_per_iteration,communication_per_iteration,io_seconds,blas_kernel\n";
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const double its = static_cast<double>(std::max<PetscInt>(row.iterations, 1));
    char line[512];
    std::snprintf(line, sizeof line, "%s,%d,%ld,%d,%d,%d,%d,%.6e,%.6e,%.6e,%.6e", row.label.c_str(), size, cores,
                  size > cores ? 1 : 0, static_cast<int>(row.n_samples), static_cast<int>(row.dim),
                  static_cast<int>(row.iterations), row.train_seconds / its, worst[0] / its, worst[1] / its, worst[2]);
    out << line << (with_kernel ? "," + blas::corename() : std::string()) << "\n";
    ok = out.good();
  }
  int flag = ok;
  MPI_Bcast(&flag, 1, MPI_INT, 0, comm);
  require(flag, "cannot append to the timing file '" + path + "'");
}

}  // namespace msopt
