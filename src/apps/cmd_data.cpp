#include <algorithm>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/core/run_files.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/data/importers.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/data/pca.hpp"
#include "msopt/mgdl/synthetic.hpp"

namespace msopt::apps {

namespace {

const char kFashionMnist[] = "/usr/share/datasets/fashion-mnist/";

void report(MPI_Comm comm, const std::string& path, const Dataset& data, double t0) {
  PetscPrintf(comm, "data: wrote %s: N = %d samples, d = %d (%.2f s)\n", path.c_str(), static_cast<int>(data.n_global),
              static_cast<int>(data.dim), MPI_Wtime() - t0);
}

// One image split into `path`, or with split "all" each split into
// <path without its extension>_<split>.h5.
int write_image_splits(MPI_Comm comm, const std::string& png, int downsample, const std::string& split,
                       const std::string& path, double t0) {
  std::vector<std::string> names{split};
  if (split == "all") names = {"train", "validation", "test"};
  const std::string stem = path_stem(path);
  for (const auto& name : names) {
    Dataset data = import_image_regression(png, downsample, comm, parse_image_split(name));
    const bool converted = std::any_of(data.attributes.begin(), data.attributes.end(), [](const Attribute& a) {
      return a.name == "converted_to_gray" && !a.numbers.empty() && a.numbers[0] != 0;
    });
    if (name == names.front() && converted)
      PetscPrintf(comm, "data: '%s' is not 8-bit grayscale: converted to 8-bit gray\n", png.c_str());
    const std::string out = split == "all" ? stem + "_" + name + ".h5" : path;
    write_dataset(out, data);
    report(comm, out, data, t0);
  }
  return 0;
}

// `source` aligned to its principal axes (and `apply`, if given, with the same axes, into `apply_out`).
Dataset pca_aligned(MPI_Comm comm, const std::string& source, const std::string& apply, const std::string& apply_out) {
  Dataset data = read_dataset(source, comm);
  require(data.n_global >= 2, "data pca: '" + source + "' holds " + std::to_string(data.n_global) +
                                  " sample(s); principal axes need at least 2");
  PrincipalAxes axes = principal_axes(data);
  align_to_axes(data, axes);
  if (axes.values.back() > 0)
    PetscPrintf(comm, "data: principal values from %.4e down to %.4e (ratio %.3e)\n", axes.values.front(),
                axes.values.back(), axes.values.front() / axes.values.back());
  else  // e.g. fewer samples than dimensions, or a constant pixel
    PetscPrintf(comm, "data: principal values from %.4e down to %.4e (the data do not span every direction)\n",
                axes.values.front(), axes.values.back());
  if (!apply.empty()) {
    Dataset other = read_dataset(apply, comm);
    require(other.dim == data.dim, "option -data_apply: '" + apply + "' has dimension " + std::to_string(other.dim) +
                                       ", '" + source + "' " + std::to_string(data.dim));
    align_to_axes(other, axes);
    write_dataset(apply_out, other);
    PetscPrintf(comm, "data: wrote %s (aligned with the axes of %s)\n", apply_out.c_str(), source.c_str());
  }
  return data;
}

}  // namespace

int run_data(MPI_Comm comm, const std::string& kind) {
  require(kind == "multiscale" || kind == "fashion-mnist" || kind == "image" || kind == "pca" || kind == "synthetic",
          "unknown data source '" + kind + "' (known: multiscale, fashion-mnist, image, pca, synthetic)");
  Options o(comm, "data " + kind,
            kind == "multiscale"      ? "generate multiscale data (MrGD paper, Assumption 2.1) into HDF5"
            : kind == "fashion-mnist" ? "import Fashion-MNIST (IDX, gzip) into HDF5: x = pixels / 255, y = label"
            : kind == "pca"           ? "align a dataset to its principal axes: x <- U^T (x - xbar) (Assumption 2.1)"
            : kind == "synthetic"     ? "MGDL paper Section 5, eq. (5): g(x) = sum_j sin(2 pi kappa_j x + phi_j) on [0, 1]"
                                      : "import a PNG image as regression data: (row, col) in [0,1)^2 -> intensity");
  MultiscaleSpec spec;
  SyntheticSpec synthetic;
  std::string images, labels, png, source;
  std::string apply, apply_out, split = "test";
  PetscInt classes = 10, downsample = 1, limit = 0;
  if (kind == "multiscale") {
    spec = MultiscaleSpec::from_options(o);
  } else if (kind == "fashion-mnist") {
    images = o.string("-data_images", std::string(kFashionMnist) + "train-images-idx3-ubyte.gz", "IDX image file");
    labels = o.string("-data_labels", std::string(kFashionMnist) + "train-labels-idx1-ubyte.gz", "IDX label file");
    classes = o.positive_integer("-data_classes", classes, "labels must lie in [0, classes)");
    limit = o.nonnegative_integer("-data_limit", 0, "keep the first N samples only (0: all)");
  } else if (kind == "synthetic") {
    synthetic = SyntheticSpec::from_options(o);
  } else if (kind == "pca") {
    source = o.required_string("-data_file", "HDF5 dataset to align");
    apply = o.string("-data_apply", "", "another dataset (e.g. the test set) to align with the same axes");
    apply_out = o.string("-data_apply_out", "", "where the aligned -data_apply dataset goes");
  } else {
    png = o.required_string("-data_png", "PNG image (converted to 8-bit gray if it is not)");
    downsample = o.positive_integer("-data_downsample", downsample, "average k x k pixel blocks");
    split = o.choice("-data_split", split, {"train", "validation", "test", "all"},
                     "pixels [::2,::2], [1::2,1::2], all of them (MGDL paper, Section 4), or all three "
                     "splits into <out>_train.h5, <out>_validation.h5, <out>_test.h5");
  }
  auto path = o.required_string("-data_out", "HDF5 file to write");
  if (o.finish()) return 0;
  require(apply.empty() == apply_out.empty(), "options -data_apply and -data_apply_out go together");
  RunFiles files(comm);
  files.input("-data_file", source);
  files.input("-data_apply", apply);
  files.input("-data_images", images);
  files.input("-data_labels", labels);
  files.input("-data_png", png);
  if (kind == "image" && split == "all") {
    for (const char* name : {"train", "validation", "test"})
      files.output("-data_out", path_stem(path) + "_" + name + ".h5");
  } else {
    files.output("-data_out", path);
  }
  files.output("-data_apply_out", apply_out);
  files.check();

  ScopedStage stage(log_registry().data);
  double t0 = MPI_Wtime();
  Dataset data;
  if (kind == "multiscale") {
    data = generate_multiscale(spec, comm);
  } else if (kind == "fashion-mnist") {
    data = import_idx_classification(images, labels, static_cast<int>(classes), comm, limit);
  } else if (kind == "synthetic") {
    data = generate_synthetic(synthetic, comm);
  } else if (kind == "image") {
    return write_image_splits(comm, png, static_cast<int>(downsample), split, path, t0);
  } else {
    data = pca_aligned(comm, source, apply, apply_out);
  }
  write_dataset(path, data);
  report(comm, path, data, t0);
  return 0;
}

}  // namespace msopt::apps
