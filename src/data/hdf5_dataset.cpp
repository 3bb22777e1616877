#include "msopt/data/hdf5_dataset.hpp"

#include <cmath>
#include <new>

#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/run_files.hpp"

namespace msopt {

void write_dataset(const std::string& path, const Dataset& data) {
  ScopedEvent event(log_registry().data_write);
  // MPI-IO can leave HDF5's collective close half-done when the disk fills: make sure it will not.
  require_free_space(path, static_cast<double>(data.n_global) * (data.dim + 1) * sizeof(double), data.comm);
  H5File file = H5File::create_atomic(path, data.comm, H5File::Writers::kAllRanks);
  file.write_rows("X", data.n_global, data.dim, data.rows.begin, data.rows.count, data.X.data());
  file.write_rows("y", data.n_global, 0, data.rows.begin, data.rows.count, data.y.data());
  for (const auto& a : data.attributes) {
    if (a.numbers.empty())
      file.write_attribute(a.name, a.text);
    else
      file.write_attribute(a.name, a.numbers);
  }
  file.commit();
}

Dataset read_dataset(const std::string& path, MPI_Comm comm) {
  ScopedEvent event(log_registry().data_read);
  H5File file = H5File::open(path, comm);
  require(file.has("X") && file.has("y"), "'" + path + "' has no datasets /X and /y (not an msopt dataset)");
  require(file.is_numeric("X") && file.is_numeric("y"), "'" + path + "': /X and /y must hold numbers");
  auto x_shape = file.shape("X"), y_shape = file.shape("y");
  require(x_shape.size() == 2, "'" + path + "': /X must be two-dimensional [N][d]");
  require(y_shape.size() == 1 && y_shape[0] == x_shape[0],
          "'" + path + "': /y must have one entry per row of /X (" + std::to_string(x_shape[0]) + ")");
  require(x_shape[0] > 0 && x_shape[1] > 0, "'" + path + "': the dataset is empty");
  // PetscInt is 32-bit here: larger sizes would be truncated.
  const hsize_t max_int = static_cast<hsize_t>(PETSC_MAX_INT);
  require(x_shape[0] <= max_int && x_shape[1] <= max_int,
          "'" + path + "': /X of " + std::to_string(x_shape[0]) + " x " + std::to_string(x_shape[1]) +
              " is larger than msopt's index type allows");

  Dataset data;
  data.comm = comm;
  data.n_global = static_cast<PetscInt>(x_shape[0]);
  data.dim = static_cast<PetscInt>(x_shape[1]);
  data.rows = split_rows(data.n_global, comm);
  bool allocated = true;
  try {
    data.X.resize(static_cast<size_t>(data.rows.count) * data.dim);
    data.y.resize(data.rows.count);
  } catch (const std::bad_alloc&) {
    allocated = false;
  }
  check_all(comm, allocated, "'" + path + "': /X of " + std::to_string(x_shape[0]) + " x " +
                                 std::to_string(x_shape[1]) + " does not fit in memory");
  file.read_rows("X", data.rows.begin, data.rows.count, data.X.data());
  file.read_rows("y", data.rows.begin, data.rows.count, data.y.data());

  PetscInt bad_row = -1;
  for (PetscInt i = 0; i < data.rows.count && bad_row < 0; ++i) {
    bool finite = std::isfinite(data.y[i]);
    for (PetscInt j = 0; j < data.dim && finite; ++j) finite = std::isfinite(data.row(i)[j]);
    if (!finite) bad_row = data.rows.begin + i;
  }
  check_all(comm, bad_row < 0, "'" + path + "': non-finite value (NaN or Inf) in row " + std::to_string(bad_row));

  // Attributes are descriptive: one that is neither a string nor numbers
  // (compound, an array of strings, ...) is skipped, the same on every rank.
  for (const auto& name : file.attribute_names()) {
    Attribute a;
    a.name = name;
    try {
      if (file.attribute_is_text(name))
        a.text = file.read_text_attribute(name);
      else
        a.numbers = file.read_number_attribute(name);
    } catch (const LocalError&) {
      continue;
    }
    data.attributes.push_back(a);
  }
  return data;
}

}  // namespace msopt
