// A thin collective wrapper over the HDF5 C API with MPI-IO: row-block
// datasets (each rank its rows), small replicated arrays and attributes.
#pragma once
#include <hdf5.h>
#include <mpi.h>

#include <string>
#include <vector>

namespace msopt {

class H5File {
 public:
  // Opens an existing file for reading; msopt::Error on every rank if it is
  // missing or not HDF5.
  static H5File open(const std::string& path, MPI_Comm comm);
  // Who writes a new file: rank 0 alone through HDF5's serial driver (small
  // arrays every rank holds: a failure, e.g. a full disk, is then seen by
  // one process and agreed on, never a collective left half-done inside
  // HDF5), or every rank its own rows through MPI-IO (datasets).
  enum class Writers { kRankZero, kAllRanks };
  // Creates "<path>.tmp"; commit() renames it to path. Without commit() the
  // temporary is removed and an existing file at path is left untouched.
  static H5File create_atomic(const std::string& path, MPI_Comm comm, Writers writers = Writers::kRankZero);

  H5File(H5File&& other) noexcept;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  H5File& operator=(H5File&&) = delete;
  ~H5File();

  void commit();
  const std::string& path() const { return path_; }

  bool has(const std::string& name) const;
  std::vector<hsize_t> shape(const std::string& name) const;
  // True for integer and floating-point datasets (read as doubles) whose type
  // HDF5 can convert (a corrupt bit layout is refused).
  bool is_numeric(const std::string& name) const;

  // Row-block datasets: global shape [n_global] (cols == 0) or [n_global][cols].
  void write_rows(const std::string& name, hsize_t n_global, hsize_t cols, hsize_t row_begin, hsize_t n_local,
                  const double* values);
  void read_rows(const std::string& name, hsize_t row_begin, hsize_t n_local, double* values) const;

  // Small arrays known on every rank (rank 0 writes, all read everything).
  void write_array(const std::string& name, const std::vector<double>& values);
  std::vector<double> read_array(const std::string& name) const;

  // Text of any length as a scalar string dataset (attributes end at 64 KiB).
  void write_text(const std::string& name, const std::string& text);
  std::string read_text(const std::string& name) const;
  void write_attribute(const std::string& name, const std::vector<double>& values);
  void write_attribute(const std::string& name, const std::string& text);
  bool has_attribute(const std::string& name) const;
  std::vector<double> read_number_attribute(const std::string& name) const;
  std::string read_text_attribute(const std::string& name) const;
  // Names of all attributes on the root group.
  std::vector<std::string> attribute_names() const;
  bool attribute_is_text(const std::string& name) const;

 private:
  H5File(MPI_Comm comm, hid_t file, std::string path, std::string temp_path, bool rank_zero_writes);
  void close();
  bool writes_here() const;
  std::string store_image();
  // A write step's outcome: with every rank writing, agreed at once (Error on
  // all ranks); with rank 0 writing, kept until settle() tells the others.
  bool step(bool ok, const std::string& what);
  void settle();
  void write_object(const std::string& name, hid_t type, hid_t space, const void* data, bool attribute);
  hid_t agreed(hid_t id, const std::string& what) const;
  void agree_status(herr_t status, const std::string& what) const;

  MPI_Comm comm_;
  hid_t file_ = -1;
  std::string path_, temp_path_;
  bool rank_zero_writes_ = false;
  int watch_ = -1;  // termination.hpp slot of temp_path_
  std::string failure_;
};

}  // namespace msopt
