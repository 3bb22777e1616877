#include <gtest/gtest.h>
#include <png.h>

#include <cstring>

#include "msopt/core/error.hpp"
#include "msopt/data/importers.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

// The MGDL paper's image regression split (Section 4) after 2 x 2 averaging:
// train = pixels [::2, ::2], validation = [1::2, 1::2], test = all.
TEST(ImageSplit, TrainValidationTestPixels) {
  const std::uint32_t w = 10, h = 14;  // averaged: 5 wide, 7 high
  std::vector<std::uint8_t> gray(w * h);
  for (std::size_t k = 0; k < gray.size(); ++k) gray[k] = static_cast<std::uint8_t>((37 * k + 11) % 256);
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank == 0) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = w;
    image.height = h;
    image.format = PNG_FORMAT_GRAY;
    ASSERT_TRUE(png_image_write_to_file(&image, (dir + "/g.png").c_str(), 0, gray.data(), 0, nullptr));
    image.width = image.height = 2;
    ASSERT_TRUE(png_image_write_to_file(&image, (dir + "/tiny.png").c_str(), 0, gray.data(), 0, nullptr));
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  auto averaged = [&](std::uint32_t r, std::uint32_t c) {
    return (gray[2 * r * w + 2 * c] + gray[2 * r * w + 2 * c + 1] + gray[(2 * r + 1) * w + 2 * c] +
            gray[(2 * r + 1) * w + 2 * c + 1]) /
           (4 * 255.0);
  };
  struct Case {
    ImageSplit split;
    std::uint32_t first, step, rows, cols;
  };
  for (Case k : {Case{ImageSplit::train, 0, 2, 4, 3}, Case{ImageSplit::validation, 1, 2, 3, 2},
                 Case{ImageSplit::test, 0, 1, 7, 5}}) {
    Dataset data = import_image_regression(dir + "/g.png", 2, PETSC_COMM_WORLD, k.split);
    ASSERT_EQ(data.n_global, static_cast<PetscInt>(k.rows * k.cols)) << image_split_name(k.split);
    auto X = gather_all(data, data.X, 2), y = gather_all(data, data.y, 1);
    for (std::uint32_t a = 0; a < k.rows; ++a)
      for (std::uint32_t b = 0; b < k.cols; ++b) {
        const std::uint32_t i = a * k.cols + b, r = k.first + k.step * a, c = k.first + k.step * b;
        EXPECT_DOUBLE_EQ(y[i], averaged(r, c));
        EXPECT_DOUBLE_EQ(X[2 * i], r / 7.0);
        EXPECT_DOUBLE_EQ(X[2 * i + 1], c / 5.0);
      }
    for (const auto& attribute : data.attributes) {
      if (attribute.name == "image_shape") {
        EXPECT_EQ(attribute.numbers, (std::vector<double>{double(k.rows), double(k.cols)}));
      } else if (attribute.name == "full_shape") {
        EXPECT_EQ(attribute.numbers, (std::vector<double>{7, 5}));
      } else if (attribute.name == "split") {
        EXPECT_EQ(attribute.text, image_split_name(k.split));
      }
    }
  }
  EXPECT_EQ(parse_image_split("validation"), ImageSplit::validation);
  EXPECT_THROW(parse_image_split("all"), Error);
  // A 2 x 2 image averaged to 1 x 1 has no validation pixel.
  EXPECT_EQ(import_image_regression(dir + "/tiny.png", 2, PETSC_COMM_WORLD, ImageSplit::train).n_global, 1);
  EXPECT_THROW(import_image_regression(dir + "/tiny.png", 2, PETSC_COMM_WORLD, ImageSplit::validation), Error);
}
