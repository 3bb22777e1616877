// Real data into msopt Datasets: Fashion-MNIST (IDX) for classification and
// grayscale images (PNG) for regression from pixel coordinates to intensity.
// Every rank parses the file and keeps its rows; a problem found anywhere is
// an msopt::Error on every rank.
#pragma once
#include <string>

#include "msopt/data/dataset.hpp"

namespace msopt {

// x = pixels / 255 (one row per image), y = the label in [0, classes);
// limit > 0 keeps the first `limit` samples only.
Dataset import_idx_classification(const std::string& images_path, const std::string& labels_path, int classes,
                                  MPI_Comm comm, PetscInt limit = 0);

// Pixel subsets of the MGDL paper's image regression (Section 4): train =
// pixels [::2, ::2] (a regular grid of 1/4 of them), validation = [1::2, 1::2],
// test = all pixels.
enum class ImageSplit { train, validation, test };
// "train", "validation" or "test"; anything else throws msopt::Error.
ImageSplit parse_image_split(const std::string& name);
const char* image_split_name(ImageSplit split);

// x = (row / H, col / W) in [0, 1)^2, y = intensity / 255, after averaging
// `downsample` x `downsample` blocks (1: none), H x W the averaged image.
// Rows are the pixels of `split`, row-major over the selected grid
// (attribute image_shape: that grid; full_shape: H x W).
Dataset import_image_regression(const std::string& png_path, int downsample, MPI_Comm comm,
                                ImageSplit split = ImageSplit::test);

}  // namespace msopt
