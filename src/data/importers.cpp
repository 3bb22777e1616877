#include "msopt/data/importers.hpp"

#include <algorithm>

#include <unistd.h>

#include "msopt/core/error.hpp"
#include "msopt/data/idx_reader.hpp"
#include "msopt/data/png_reader.hpp"

namespace msopt {

namespace {

// Runs f on every rank; an Error on any rank becomes an Error on all.
template <class F>
auto on_all_ranks(MPI_Comm comm, F&& f) -> decltype(f()) {
  std::string problem;
  decltype(f()) result{};
  try {
    result = f();
  } catch (const Error& e) {
    problem = e.what();
  }
  check_all(comm, problem.empty(), problem);
  return result;
}

void require_readable(MPI_Comm comm, const std::string& path) {
  check_all(comm, access(path.c_str(), R_OK) == 0, "cannot read file '" + path + "'");
}

}  // namespace

Dataset import_idx_classification(const std::string& images_path, const std::string& labels_path, int classes,
                                  MPI_Comm comm, PetscInt limit) {
  require(classes >= 2 && classes <= 256, "the number of classes must be in [2, 256]");
  require(limit >= 0, "the sample limit must not be negative");
  require_readable(comm, images_path);
  require_readable(comm, labels_path);
  IdxArray images = on_all_ranks(comm, [&] { return read_idx(images_path); });
  IdxArray labels = on_all_ranks(comm, [&] { return read_idx(labels_path); });
  require(images.dims.size() >= 2, "'" + images_path + "' holds no images (one dimension only)");
  require(labels.dims.size() == 1, "'" + labels_path + "' is not a label file (" +
                                       std::to_string(labels.dims.size()) + " dimensions)");
  require(labels.dims[0] == images.dims[0], "'" + images_path + "' has " + std::to_string(images.dims[0]) +
                                                " images but '" + labels_path + "' " +
                                                std::to_string(labels.dims[0]) + " labels");
  for (std::size_t i = 0; i < labels.values.size(); ++i)
    require(labels.values[i] < classes, "'" + labels_path + "': label " + std::to_string(labels.values[i]) +
                                            " of sample " + std::to_string(i) + " is out of range [0, " +
                                            std::to_string(classes) + ")");
  Dataset data;
  data.comm = comm;
  data.n_global = limit > 0 ? std::min<PetscInt>(limit, images.dims[0]) : images.dims[0];
  data.dim = static_cast<PetscInt>(images.values.size() / images.dims[0]);
  data.rows = split_rows(data.n_global, comm);
  data.X.resize(static_cast<std::size_t>(data.rows.count) * data.dim);
  data.y.resize(data.rows.count);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const std::size_t global = static_cast<std::size_t>(data.rows.begin + i);
    for (PetscInt j = 0; j < data.dim; ++j)
      data.X[i * data.dim + j] = images.values[global * data.dim + j] / 255.0;
    data.y[i] = labels.values[global];
  }
  std::vector<double> shape(images.dims.begin() + 1, images.dims.end());
  data.attributes = {{"source", {}, images_path}, {"labels", {}, labels_path}, {"classes", {double(classes)}, ""},
                     {"image_shape", shape, ""}};
  return data;
}

ImageSplit parse_image_split(const std::string& name) {
  if (name == "train") return ImageSplit::train;
  if (name == "validation") return ImageSplit::validation;
  if (name == "test") return ImageSplit::test;
  throw Error("unknown image split '" + name + "' (expected train, validation or test)");
}

const char* image_split_name(ImageSplit split) {
  return split == ImageSplit::train ? "train" : split == ImageSplit::validation ? "validation" : "test";
}

Dataset import_image_regression(const std::string& png_path, int downsample, MPI_Comm comm, ImageSplit split) {
  require(downsample >= 1, "the downsampling factor must be at least 1");
  require_readable(comm, png_path);
  GrayImage image = on_all_ranks(comm, [&] { return read_png_gray(png_path); });
  require(image.height % downsample == 0 && image.width % downsample == 0,
          "'" + png_path + "': " + std::to_string(image.width) + "x" + std::to_string(image.height) +
              " is not divisible by the downsampling factor " + std::to_string(downsample));
  const std::uint32_t H = image.height / downsample, W = image.width / downsample;
  // The selected grid: pixels (first + step * a, first + step * b).
  const std::uint32_t step = split == ImageSplit::test ? 1 : 2, first = split == ImageSplit::validation ? 1 : 0;
  require(H > first && W > first, "'" + png_path + "': a " + std::to_string(W) + "x" + std::to_string(H) +
                                      " image has no " + image_split_name(split) + " pixels");
  const std::uint32_t Hs = (H - first + step - 1) / step, Ws = (W - first + step - 1) / step;
  Dataset data;
  data.comm = comm;
  data.n_global = static_cast<PetscInt>(Hs) * Ws;
  data.dim = 2;
  data.rows = split_rows(data.n_global, comm);
  data.X.resize(2 * static_cast<std::size_t>(data.rows.count));
  data.y.resize(data.rows.count);
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const std::uint32_t r = first + step * static_cast<std::uint32_t>((data.rows.begin + i) / Ws);
    const std::uint32_t c = first + step * static_cast<std::uint32_t>((data.rows.begin + i) % Ws);
    double sum = 0;
    for (int a = 0; a < downsample; ++a)
      for (int b = 0; b < downsample; ++b)
        sum += image.pixels[static_cast<std::size_t>(r * downsample + a) * image.width + c * downsample + b];
    data.X[2 * i] = static_cast<double>(r) / H;
    data.X[2 * i + 1] = static_cast<double>(c) / W;
    data.y[i] = sum / (255.0 * downsample * downsample);
  }
  data.attributes = {{"source", {}, png_path},
                     {"image_shape", {double(Hs), double(Ws)}, ""},
                     {"full_shape", {double(H), double(W)}, ""},
                     {"split", {}, image_split_name(split)},
                     {"converted_to_gray", {image.converted ? 1.0 : 0.0}, ""}};
  return data;
}

}  // namespace msopt
