#include <gtest/gtest.h>

#include "image_test_util.hpp"
#include "msopt/mgdl/tv_difference.hpp"

using namespace msopt;
using namespace msopt::testing;

TEST(DifferenceOperator, HandComputedDifferences) {
  // 3 x 4 image; horizontal differences g[r][c+1] - g[r][c], vertical
  // g[r+1][c] - g[r][c], zero in the last column / row.
  const std::vector<double> g = {1, 4, 9, 16,  //
                                 2, 3, 5, 7,   //
                                 0, -1, 8, 2};
  const std::vector<double> expected = {
      3,  5,  7,  0,  // horizontal, row 0
      1,  2,  2,  0,  // row 1
      -1, 9,  -6, 0,  // row 2
      1,  -1, -4, -9, // vertical, row 0
      -2, -4, 3,  -5, // row 1
      0,  0,  0,  0}; // row 2
  MatHandle B = create_difference_operator(PETSC_COMM_WORLD, ImageGrid{3, 4});
  PetscInt rows = 0, cols = 0;
  MatGetSize(B, &rows, &cols);
  EXPECT_EQ(rows, 24);
  EXPECT_EQ(cols, 12);
  EXPECT_EQ(apply_operator(B, g), expected);  // exact: one subtraction per entry
}

TEST(DifferenceOperator, TransposeAndSplitMatchThePixels) {
  // B^T y by hand for a 1 x 3 and a 3 x 1 image, and the column split of a
  // larger B equal to split_rows over the pixels (as a pixel Dataset).
  MatHandle row = create_difference_operator(PETSC_COMM_WORLD, ImageGrid{1, 3});
  Vec y = nullptr, x = nullptr;
  MatCreateVecs(row, &x, &y);
  set_from_replicated(y, {1, 2, 3, 10, 20, 30});  // the vertical half is all zero rows
  MatMultTranspose(row, y, x);
  EXPECT_EQ(gather_replicated(x), (std::vector<double>{-1, 1 - 2, 2}));
  VecDestroy(&x);
  VecDestroy(&y);

  MatHandle column = create_difference_operator(PETSC_COMM_WORLD, ImageGrid{3, 1});
  EXPECT_EQ(apply_operator(column, {5, 2, 7}), (std::vector<double>{0, 0, 0, -3, 5, 0}));

  MatHandle B = create_difference_operator(PETSC_COMM_WORLD, ImageGrid{7, 5});
  PetscInt begin = 0, end = 0;
  MatGetOwnershipRangeColumn(B, &begin, &end);
  const RowBlock pixels = split_rows(35, PETSC_COMM_WORLD);
  EXPECT_EQ(begin, pixels.begin);
  EXPECT_EQ(end - begin, pixels.count);
}
