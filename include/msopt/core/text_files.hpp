// File names and the small text files (CSV beside the HDF5 results) that
// rank 0 writes for everyone.
#pragma once
#include <mpi.h>

#include <string>

namespace msopt {

// The path without its extension (a '.' after the last '/'): "a/b.h5" -> "a/b".
std::string path_stem(const std::string& path);

// Collective: rank 0 writes `text` to path via "<path>.tmp" and a rename, so
// a crash never leaves half a file; msopt::Error on every rank if it fails.
void write_text_file(const std::string& path, MPI_Comm comm, const std::string& text);

}  // namespace msopt
