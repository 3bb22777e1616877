#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/logging.hpp"
#include "msopt/data/hdf5_dataset.hpp"
#include "msopt/data/importers.hpp"
#include "msopt/data/multiscale_generator.hpp"
#include "msopt/data/pca.hpp"
#include "msopt/mgdl/synthetic.hpp"

namespace msopt::apps {

namespace {

const char kFashionMnist[] = "/usr/share/datasets/fashion-mnist/";

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
  PetscInt classes = 10, downsample = 1;
  if (kind == "multiscale") {
    spec = MultiscaleSpec::from_options(o);
  } else if (kind == "fashion-mnist") {
    images = o.string("-data_images", std::string(kFashionMnist) + "train-images-idx3-ubyte.gz", "IDX image file");
    labels = o.string("-data_labels", std::string(kFashionMnist) + "train-labels-idx1-ubyte.gz", "IDX label file");
    classes = o.positive_integer("-data_classes", classes, "labels must lie in [0, classes)");
  } else if (kind == "synthetic") {
    synthetic = SyntheticSpec::from_options(o);
  } else if (kind == "pca") {
    source = o.required_string("-data_file", "HDF5 dataset to align");
  } else {
    png = o.required_string("-data_png", "PNG image (converted to 8-bit gray if it is not)");
    downsample = o.positive_integer("-data_downsample", downsample, "average k x k pixel blocks");
  }
  auto path = o.required_string("-data_out", "HDF5 file to write");
  if (o.finish()) return 0;

  ScopedStage stage(log_registry().data);
  double t0 = MPI_Wtime();
  Dataset data;
  if (kind == "multiscale") {
    data = generate_multiscale(spec, comm);
  } else if (kind == "fashion-mnist") {
    data = import_idx_classification(images, labels, static_cast<int>(classes), comm);
  } else if (kind == "synthetic") {
    data = generate_synthetic(synthetic, comm);
  } else if (kind == "image") {
    data = import_image_regression(png, static_cast<int>(downsample), comm);
  } else {
    data = read_dataset(source, comm);
    PrincipalAxes axes = principal_axes(data);
    align_to_axes(data, axes);
    PetscPrintf(comm, "data: principal values from %.4e down to %.4e (ratio %.3e)\n", axes.values.front(),
                axes.values.back(), axes.values.front() / axes.values.back());
  }
  write_dataset(path, data);
  PetscPrintf(comm, "data: wrote %s: N = %d samples, d = %d (%.2f s)\n", path.c_str(), static_cast<int>(data.n_global),
              static_cast<int>(data.dim), MPI_Wtime() - t0);
  return 0;
}

}  // namespace msopt::apps
