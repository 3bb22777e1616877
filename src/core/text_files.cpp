#include "msopt/core/text_files.hpp"

#include <cstdio>
#include <fstream>

#include "msopt/core/error.hpp"
#include "msopt/core/termination.hpp"

namespace msopt {

std::string path_stem(const std::string& path) {
  const auto dot = path.rfind('.'), slash = path.rfind('/');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return has_extension ? path.substr(0, dot) : path;
}

void write_text_file(const std::string& path, MPI_Comm comm, const std::string& text) {
  int rank = 0, ok = 1;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0) {
    const std::string temp = path + ".tmp";
    const int watch = watch_path(temp);
    std::ofstream file(temp);
    file << text;
    file.close();
    ok = file.good() && std::rename(temp.c_str(), path.c_str()) == 0;
    if (!ok) std::remove(temp.c_str());
    unwatch_path(watch);
  }
  MSOPT_MPI(MPI_Bcast(&ok, 1, MPI_INT, 0, comm));
  require(ok, "cannot write '" + path + "'");
}

}  // namespace msopt
