#include "msopt/core/h5file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "msopt/core/error.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/core/termination.hpp"
#include "msopt/core/watchdog.hpp"

namespace msopt {

namespace {

hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) throw LocalError("HDF5 failure: " + what);
  return id;
}

void checked_status(herr_t status, const std::string& what) {
  if (status < 0) throw LocalError("HDF5 failure: " + what);
}

hid_t mpio_access(MPI_Comm comm) {
  hid_t fapl = checked(H5Pcreate(H5P_FILE_ACCESS), "property list");
  checked_status(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), "MPI-IO driver");
  return fapl;
}

hid_t collective_transfer() {
  hid_t dxpl = checked(H5Pcreate(H5P_DATASET_XFER), "transfer list");
  checked_status(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "collective transfer");
  return dxpl;
}

// Integer or floating point with a bit layout HDF5 can convert: the library
// trusts the size, precision, offset and fields stored in the file, and a
// corrupt one makes its conversion to double read out of bounds.
bool convertible_number(hid_t type) {
  const H5T_class_t kind = H5Tget_class(type);
  if (kind != H5T_INTEGER && kind != H5T_FLOAT) return false;
  const size_t bits = 8 * H5Tget_size(type), precision = H5Tget_precision(type);
  const int offset = H5Tget_offset(type);
  if (bits == 0 || bits > 128 || precision == 0 || offset < 0 || offset + precision > bits) return false;
  if (kind == H5T_FLOAT) {
    size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
    if (H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) < 0) return false;
    if (spos >= bits || esize == 0 || esize > 32 || epos + esize > bits || mpos + msize > bits) return false;
  }
  return true;
}

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

}  // namespace

H5File::H5File(MPI_Comm comm, hid_t file, std::string path, std::string temp_path, bool rank_zero_writes)
    : comm_(comm),
      file_(file),
      path_(std::move(path)),
      temp_path_(std::move(temp_path)),
      rank_zero_writes_(rank_zero_writes) {}

H5File::H5File(H5File&& other) noexcept
    : comm_(other.comm_),
      file_(other.file_),
      path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      rank_zero_writes_(other.rank_zero_writes_),
      watch_(other.watch_) {
  other.file_ = -1;
  other.temp_path_.clear();
  other.watch_ = -1;
}

H5File H5File::open(const std::string& path, MPI_Comm comm) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string problem = rank_of(comm) == 0 ? regular_file_problem(path) : "";
  check_all(comm, problem.empty(), problem);
  hid_t fapl = mpio_access(comm);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  check_all(comm, file >= 0, "'" + path + "' is not a readable HDF5 file");
  return H5File(comm, file, path, "", false);
}

H5File H5File::create_atomic(const std::string& path, MPI_Comm comm, Writers writers) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  std::string temp = path + ".tmp";
  const bool rank_zero = writers == Writers::kRankZero;
  hid_t file = -1;
  if (rank_zero && rank_of(comm) == 0) {
    // Built in memory (HDF5's core driver); commit() writes the bytes itself.
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 20, 0);
    file = H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
  } else if (!rank_zero) {
    hid_t fapl = mpio_access(comm);
    file = H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
  }
  check_all(comm, file >= 0 || (rank_zero && rank_of(comm) != 0),
            "cannot create file '" + temp + "' (does its directory exist?)");
  H5File created(comm, file, path, temp, rank_zero);
  if (created.writes_here()) created.watch_ = watch_path(temp);  // removed if the job is stopped
  return created;
}

bool H5File::writes_here() const { return !rank_zero_writes_ || rank_of(comm_) == 0; }

bool H5File::step(bool ok, const std::string& what) {
  if (!rank_zero_writes_) {
    check_all(comm_, ok, "HDF5 failure: " + what + " in '" + path_ + "'");
  } else if (!ok && failure_.empty()) {
    failure_ = "cannot write " + what + " in '" + path_ + "' (is the disk full?)";
  }
  return ok;
}

void H5File::settle() {
  if (!rank_zero_writes_) return;
  std::string failure;
  failure.swap(failure_);
  check_all(comm_, failure.empty(), failure);
}

// Every rank learns whether an HDF5 call failed on any rank before the next
// collective call (a rank that threw alone would leave the others waiting
// in H5Fclose): msopt::Error on every rank.
hid_t H5File::agreed(hid_t id, const std::string& what) const {
  check_all(comm_, id >= 0, "HDF5 failure: " + what + " in '" + path_ + "'");
  return id;
}

void H5File::agree_status(herr_t status, const std::string& what) const { agreed(status >= 0 ? 0 : -1, what); }

void H5File::close() {
  if (file_ >= 0) H5Fclose(file_);
  file_ = -1;
}

// Rank 0: the in-memory file's bytes to temp_path_ with plain POSIX calls,
// so that a full disk is an error code here, not a failure inside HDF5.
std::string H5File::store_image() {
  const ssize_t size = H5Fflush(file_, H5F_SCOPE_LOCAL) < 0 ? -1 : H5Fget_file_image(file_, nullptr, 0);
  std::vector<char> image(size > 0 ? static_cast<size_t>(size) : 0);
  const bool built = size > 0 && H5Fget_file_image(file_, image.data(), image.size()) == size;
  H5Fclose(file_);
  file_ = -1;
  if (!built) return "HDF5 could not build '" + path_ + "' in memory";
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create '" + temp_path_ + "': " + std::strerror(errno);
  size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const int error = done < image.size() ? errno : fsync(fd) != 0 ? errno : 0;
  if (::close(fd) != 0 && error == 0) return "cannot write '" + temp_path_ + "': " + std::strerror(errno);
  if (error != 0) return "cannot write '" + path_ + "': " + std::strerror(error);
  return "";
}

void H5File::commit() {
  watchdog::beat("file write");
  if (rank_zero_writes_) {
    const std::string failure = writes_here() ? store_image() : "";
    check_all(comm_, failure.empty(), failure);
  } else {
    const bool closed = H5Fclose(file_) >= 0;
    file_ = -1;
    check_all(comm_, closed, "cannot finish writing '" + temp_path_ + "' (is the disk full?)");
  }
  bool ok = true;
  if (rank_of(comm_) == 0) ok = std::rename(temp_path_.c_str(), path_.c_str()) == 0;
  int flag = ok;
  MPI_Bcast(&flag, 1, MPI_INT, 0, comm_);
  temp_path_.clear();
  unwatch_path(watch_);
  watch_ = -1;
  check_all(comm_, flag, "cannot rename the new file to '" + path_ + "'");
}

H5File::~H5File() {
  close();
  if (!temp_path_.empty() && rank_of(comm_) == 0) std::remove(temp_path_.c_str());
  unwatch_path(watch_);
}

bool H5File::has(const std::string& name) const { return H5Lexists(file_, name.c_str(), H5P_DEFAULT) > 0; }

std::vector<hsize_t> H5File::shape(const std::string& name) const {
  hid_t set = agreed(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open " + name);
  hid_t space = H5Dget_space(set);
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(set);
  return dims;
}

namespace {

// Collective transfer of rows [row_begin, row_begin + n_local) of a dataset
// (a rank with no rows selects none, as MPI-IO collectives require).
enum class Direction { kRead, kWrite };

herr_t transfer_rows(hid_t set, hsize_t row_begin, hsize_t n_local, Direction direction, double* buffer) {
  hid_t file_space = H5Dget_space(set);
  int rank = H5Sget_simple_extent_ndims(file_space);
  hsize_t global[2] = {0, 0};
  H5Sget_simple_extent_dims(file_space, global, nullptr);
  hsize_t start[2] = {row_begin, 0}, count[2] = {n_local, rank == 2 ? global[1] : 0};
  hid_t memory = H5Screate_simple(rank, count, nullptr);
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr);
  if (n_local == 0) {
    H5Sselect_none(file_space);
    H5Sselect_none(memory);
  }
  hid_t dxpl = collective_transfer();
  herr_t status = direction == Direction::kRead ? H5Dread(set, H5T_NATIVE_DOUBLE, memory, file_space, dxpl, buffer)
                                                : H5Dwrite(set, H5T_NATIVE_DOUBLE, memory, file_space, dxpl, buffer);
  H5Pclose(dxpl);
  H5Sclose(memory);
  H5Sclose(file_space);
  return status;
}

}  // namespace

void H5File::write_rows(const std::string& name, hsize_t n_global, hsize_t cols, hsize_t row_begin,
                        hsize_t n_local, const double* values) {
  watchdog::beat("file write");
  if (rank_zero_writes_ && writes_here() && (row_begin != 0 || n_local != n_global))
    throw LocalError("internal: rows of '" + name + "' written by rank 0 alone must all be on rank 0");
  if (writes_here()) {
    hsize_t global[2] = {n_global, cols};
    hid_t file_space = H5Screate_simple(cols ? 2 : 1, global, nullptr);
    hid_t set = H5Dcreate2(file_, name.c_str(), H5T_NATIVE_DOUBLE, file_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(file_space);
    if (step(set >= 0, "create " + name)) {
      // An empty array: the dataset alone says so.
      herr_t status = 0;
      if (n_global > 0)
        status = rank_zero_writes_ ? H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values)
                                   : transfer_rows(set, row_begin, n_local, Direction::kWrite, const_cast<double*>(values));
      H5Dclose(set);
      step(status >= 0, "write " + name);
    }
  }
  settle();
}

void H5File::read_rows(const std::string& name, hsize_t row_begin, hsize_t n_local, double* values) const {
  hid_t set = agreed(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open " + name);
  watchdog::beat("file read");
  herr_t status = transfer_rows(set, row_begin, n_local, Direction::kRead, values);
  H5Dclose(set);
  agree_status(status, "read " + name);
}

bool H5File::is_numeric(const std::string& name) const {
  hid_t set = agreed(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open " + name);
  hid_t type = H5Dget_type(set);
  const bool numeric = convertible_number(type);
  H5Tclose(type);
  H5Dclose(set);
  return numeric;
}

void H5File::write_array(const std::string& name, const std::vector<double>& values) {
  bool root = rank_of(comm_) == 0;
  write_rows(name, values.size(), 0, 0, root ? values.size() : 0, values.data());
}

std::vector<double> H5File::read_array(const std::string& name) const {
  auto dims = shape(name);
  hsize_t total = 1;
  for (hsize_t d : dims) total *= d;
  std::vector<double> values(total);
  if (total == 0) return values;
  hid_t set = agreed(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open " + name);
  herr_t status = H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(set);
  agree_status(status, "read " + name);
  return values;
}

void H5File::write_object(const std::string& name, hid_t type, hid_t space, const void* data, bool attribute) {
  if (writes_here()) {
    hid_t object = attribute ? H5Acreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT)
                             : H5Dcreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (step(object >= 0, "create " + name)) {
      // With all ranks writing, each writes the same bytes (independent transfer).
      const herr_t status =
          attribute ? H5Awrite(object, type, data) : H5Dwrite(object, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
      attribute ? H5Aclose(object) : H5Dclose(object);
      step(status >= 0, "write " + name);
    }
  }
  settle();
}

void H5File::write_attribute(const std::string& name, const std::vector<double>& values) {
  hsize_t n = values.size();
  hid_t space = H5Screate_simple(1, &n, nullptr);
  write_object(name, H5T_NATIVE_DOUBLE, space, values.data(), true);
  H5Sclose(space);
}

void H5File::write_attribute(const std::string& name, const std::string& text) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, text.empty() ? 1 : text.size());
  hid_t space = H5Screate(H5S_SCALAR);
  std::string padded = text.empty() ? std::string(1, '\0') : text;
  write_object(name, type, space, padded.data(), true);
  H5Sclose(space);
  H5Tclose(type);
}

void H5File::write_text(const std::string& name, const std::string& text) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, text.size() + 1);
  hid_t space = H5Screate(H5S_SCALAR);
  write_object(name, type, space, text.c_str(), false);
  H5Sclose(space);
  H5Tclose(type);
}

std::string H5File::read_text(const std::string& name) const {
  hid_t set = agreed(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open " + name);
  hid_t type = H5Dget_type(set);
  const bool text = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) == 0 && H5Tget_size(type) < (1u << 26);
  std::vector<char> buffer(text ? H5Tget_size(type) + 1 : 1, '\0');
  herr_t status = text ? H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) : -1;
  H5Tclose(type);
  H5Dclose(set);
  agree_status(status, "read " + name + " (one string expected)");
  return buffer.data();
}

bool H5File::has_attribute(const std::string& name) const { return H5Aexists(file_, name.c_str()) > 0; }

bool H5File::attribute_is_text(const std::string& name) const {
  hid_t attr = agreed(H5Aopen(file_, name.c_str(), H5P_DEFAULT), "attribute " + name);
  hid_t type = H5Aget_type(attr);
  bool text = H5Tget_class(type) == H5T_STRING;
  H5Tclose(type);
  H5Aclose(attr);
  return text;
}

std::vector<double> H5File::read_number_attribute(const std::string& name) const {
  hid_t attr = agreed(H5Aopen(file_, name.c_str(), H5P_DEFAULT), "attribute " + name);
  hid_t space = H5Aget_space(attr);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  hid_t type = H5Aget_type(attr);
  const bool numeric = convertible_number(type);
  H5Tclose(type);
  std::vector<double> values(numeric && n > 0 ? n : 0);
  herr_t status = numeric ? H5Aread(attr, H5T_NATIVE_DOUBLE, values.data()) : -1;
  H5Sclose(space);
  H5Aclose(attr);
  agree_status(status, "read attribute " + name);
  return values;
}

std::string H5File::read_text_attribute(const std::string& name) const {
  hid_t attr = agreed(H5Aopen(file_, name.c_str(), H5P_DEFAULT), "attribute " + name);
  hid_t type = H5Aget_type(attr);
  hid_t space = H5Aget_space(attr);
  // One string, fixed-length (as write_attribute makes) or variable-length
  // (h5py's default); anything else is refused rather than overrun the buffer.
  herr_t status = -1;
  std::string text;
  if (H5Sget_simple_extent_npoints(space) == 1) {
    if (H5Tis_variable_str(type) > 0) {
      hid_t memory = H5Tcopy(H5T_C_S1);
      H5Tset_size(memory, H5T_VARIABLE);
      char* value = nullptr;
      status = H5Aread(attr, memory, &value);
      if (status >= 0 && value) text = value;
      H5free_memory(value);
      H5Tclose(memory);
    } else if (H5Tget_size(type) <= (1u << 20)) {
      std::vector<char> buffer(H5Tget_size(type) + 1, '\0');
      status = H5Aread(attr, type, buffer.data());
      text = buffer.data();
    }
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  agree_status(status, "read attribute " + name + " (one string expected)");
  return text;
}

std::vector<std::string> H5File::attribute_names() const {
  H5O_info_t info;
  agree_status(H5Oget_info2(file_, &info, H5O_INFO_NUM_ATTRS), "object info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    char buffer[256] = "";
    H5Aget_name_by_idx(file_, ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer, sizeof buffer, H5P_DEFAULT);
    names.emplace_back(buffer);
  }
  return names;
}

}  // namespace msopt
