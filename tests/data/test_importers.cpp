#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <cstring>

#include "msopt/core/error.hpp"
#include "msopt/data/idx_reader.hpp"
#include "msopt/data/importers.hpp"
#include "msopt/data/png_reader.hpp"
#include "test_util.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

std::vector<std::uint8_t> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<std::uint8_t>& values,
                                    std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> bytes{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (auto d : dims)
    for (int shift : {24, 16, 8, 0}) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

void write_gz(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

void write_png(const std::string& path, std::uint32_t w, std::uint32_t h, png_uint_32 format,
               const std::vector<std::uint8_t>& pixels) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = w;
  image.height = h;
  image.format = format;
  ASSERT_TRUE(png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr));
}

bool on_root() {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  return rank == 0;
}

}  // namespace

TEST(Idx, ParsesUnsignedByteArrays) {
  auto bytes = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 250});
  IdxArray a = parse_idx(bytes.data(), bytes.size(), "t");
  EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(a.values, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 250}));
}

TEST(Idx, RefusesMalformedFiles) {
  auto good = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  auto bad_magic = good, float_type = idx_bytes({2, 3}, std::vector<std::uint8_t>(24), 0x0D);
  bad_magic[1] = 8;
  auto zero_dim = idx_bytes({0, 3}, {});
  auto trailing = good;
  trailing.push_back(7);
  struct Case {
    std::vector<std::uint8_t> bytes;
    const char* message;
  } cases[] = {{{0, 0}, "too short"},
               {bad_magic, "bad magic"},
               {float_type, "not unsigned byte"},
               {zero_dim, "is zero"},
               {std::vector<std::uint8_t>(good.begin(), good.end() - 1), "truncated: 5 of 6"},
               {std::vector<std::uint8_t>(good.begin(), good.begin() + 9), "truncated (in the dimensions)"},
               {trailing, "1 bytes after the data"},
               {idx_bytes({65536, 65536, 65536}, {}), "implausibly large"}};
  for (const auto& c : cases) {
    try {
      parse_idx(c.bytes.data(), c.bytes.size(), "t");
      ADD_FAILURE() << "no error for: " << c.message;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(Importers, FashionMnistFormatRowsAndLabels) {
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  std::vector<std::uint8_t> pixels(5 * 4), labels{3, 0, 9, 1, 7};
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<std::uint8_t>(13 * k);
  if (on_root()) {
    write_gz(dir + "/img.gz", idx_bytes({5, 2, 2}, pixels));
    write_gz(dir + "/lab.gz", idx_bytes({5}, labels));
    write_gz(dir + "/lab4.gz", idx_bytes({4}, {1, 2, 3, 4}));
    write_gz(dir + "/lab_big.gz", idx_bytes({5}, {1, 2, 10, 4, 5}));
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  Dataset data = import_idx_classification(dir + "/img.gz", dir + "/lab.gz", 10, PETSC_COMM_WORLD);
  EXPECT_EQ(data.n_global, 5);
  EXPECT_EQ(data.dim, 4);
  auto X = gather_all(data, data.X, 4), y = gather_all(data, data.y, 1);
  for (std::size_t k = 0; k < pixels.size(); ++k) EXPECT_DOUBLE_EQ(X[k], pixels[k] / 255.0);
  for (std::size_t i = 0; i < labels.size(); ++i) EXPECT_EQ(y[i], labels[i]);
  EXPECT_THROW(import_idx_classification(dir + "/img.gz", dir + "/lab4.gz", 10, PETSC_COMM_WORLD), Error);
  EXPECT_THROW(import_idx_classification(dir + "/img.gz", dir + "/lab_big.gz", 10, PETSC_COMM_WORLD), Error);
  EXPECT_THROW(import_idx_classification(dir + "/absent.gz", dir + "/lab.gz", 10, PETSC_COMM_WORLD), Error);
}

TEST(Png, GrayRoundTripAndColourConversion) {
  auto dir = shared_temp_dir(PETSC_COMM_WORLD);
  std::vector<std::uint8_t> gray(6 * 4), rgb;
  for (std::size_t k = 0; k < gray.size(); ++k) gray[k] = static_cast<std::uint8_t>(10 * k + 3);
  for (auto g : gray) rgb.insert(rgb.end(), {g, g, g});  // a gray picture stored as RGB
  if (on_root()) {
    write_png(dir + "/g.png", 6, 4, PNG_FORMAT_GRAY, gray);
    write_png(dir + "/c.png", 6, 4, PNG_FORMAT_RGB, rgb);
  }
  MPI_Barrier(PETSC_COMM_WORLD);
  GrayImage g = read_png_gray(dir + "/g.png"), c = read_png_gray(dir + "/c.png");
  EXPECT_EQ(g.width, 6u);
  EXPECT_EQ(g.height, 4u);
  EXPECT_FALSE(g.converted);
  EXPECT_EQ(g.pixels, gray);
  EXPECT_TRUE(c.converted);
  for (std::size_t k = 0; k < gray.size(); ++k) EXPECT_NEAR(c.pixels[k], gray[k], 1);
  const std::uint8_t junk[] = {0x89, 'P', 'N', 'G', 1, 2, 3};
  EXPECT_THROW(decode_png_gray(junk, sizeof junk, "junk"), Error);

  Dataset data = import_image_regression(dir + "/g.png", 2, PETSC_COMM_WORLD);  // 4 x 6 -> 2 x 3
  ASSERT_EQ(data.n_global, 6);
  auto X = gather_all(data, data.X, 2), y = gather_all(data, data.y, 1);
  for (int r = 0; r < 2; ++r)
    for (int col = 0; col < 3; ++col) {
      const int i = r * 3 + col;
      double sum = gray[(2 * r) * 6 + 2 * col] + gray[(2 * r) * 6 + 2 * col + 1] + gray[(2 * r + 1) * 6 + 2 * col] +
                   gray[(2 * r + 1) * 6 + 2 * col + 1];
      EXPECT_DOUBLE_EQ(y[i], sum / (4 * 255.0));
      EXPECT_DOUBLE_EQ(X[2 * i], r / 2.0);
      EXPECT_DOUBLE_EQ(X[2 * i + 1], col / 3.0);
    }
  EXPECT_THROW(import_image_regression(dir + "/g.png", 4, PETSC_COMM_WORLD), Error);  // 4 x 6 not divisible by 4
}
