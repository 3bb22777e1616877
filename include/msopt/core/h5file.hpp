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
  // Creates "<path>.tmp"; commit() renames it to path. Without commit() the
  // temporary is removed and an existing file at path is left untouched.
  static H5File create_atomic(const std::string& path, MPI_Comm comm);

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

  void write_attribute(const std::string& name, const std::vector<double>& values);
  void write_attribute(const std::string& name, const std::string& text);
  bool has_attribute(const std::string& name) const;
  std::vector<double> read_number_attribute(const std::string& name) const;
  std::string read_text_attribute(const std::string& name) const;
  // Names of all attributes on the root group.
  std::vector<std::string> attribute_names() const;
  bool attribute_is_text(const std::string& name) const;

 private:
  H5File(MPI_Comm comm, hid_t file, std::string path, std::string temp_path);
  void close();

  MPI_Comm comm_;
  hid_t file_ = -1;
  std::string path_, temp_path_;
};

}  // namespace msopt
