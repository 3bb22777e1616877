// Parallel HDF5 storage of a Dataset: /X [N][d] and /y [N] (doubles), plus
// attributes. Each rank reads and writes only its own row block.
#pragma once
#include <string>

#include "msopt/data/dataset.hpp"

namespace msopt {

// Collective. Writes to "<path>.tmp" and renames, so an existing file is
// replaced only by a complete one.
void write_dataset(const std::string& path, const Dataset& data);

// Collective. Every problem (missing file, wrong dataset names or shapes,
// non-finite values) ends in msopt::Error on all ranks.
Dataset read_dataset(const std::string& path, MPI_Comm comm);

}  // namespace msopt
