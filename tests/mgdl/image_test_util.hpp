// Small test images as pixel Datasets and Vec helpers for the imaging tests.
#pragma once
#include <cmath>
#include <vector>

#include "msopt/core/replicated_vec.hpp"
#include "msopt/data/dataset.hpp"
#include "msopt/mgdl/image_grid.hpp"

namespace msopt::testing {

// A smooth-plus-jagged test image in [0, 1], the same on every rank.
inline std::vector<double> test_image(PetscInt H, PetscInt W) {
  std::vector<double> f(static_cast<size_t>(H * W));
  for (PetscInt r = 0; r < H; ++r)
    for (PetscInt c = 0; c < W; ++c)
      f[r * W + c] = 0.5 + 0.3 * std::sin(0.9 * r + 0.4 * c) + 0.15 * (((7 * r + 3 * c) % 5) - 2) / 2.0;
  return f;
}

// The pixel Dataset of `image` over comm: x = (r / H, c / W), y = intensity.
inline Dataset pixel_dataset(MPI_Comm comm, PetscInt H, PetscInt W, const std::vector<double>& image) {
  Dataset data;
  data.comm = comm;
  data.n_global = H * W;
  data.dim = 2;
  data.rows = split_rows(data.n_global, comm);
  for (PetscInt i = data.rows.begin; i < data.rows.begin + data.rows.count; ++i) {
    data.X.push_back(static_cast<double>(i / W) / H);
    data.X.push_back(static_cast<double>(i % W) / W);
    data.y.push_back(image[i]);
  }
  data.attributes = {{"image_shape", {double(H), double(W)}, ""}};
  return data;
}

// M applied to a replicated vector: the whole result on every rank.
inline std::vector<double> apply_operator(Mat M, const std::vector<double>& x) {
  Vec in = nullptr, out = nullptr;
  MatCreateVecs(M, &in, &out);
  set_from_replicated(in, x);
  MatMult(M, in, out);
  std::vector<double> y = gather_replicated(out);
  VecDestroy(&in);
  VecDestroy(&out);
  return y;
}

}  // namespace msopt::testing
