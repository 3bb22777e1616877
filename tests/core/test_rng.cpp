#include <gtest/gtest.h>

#include <cmath>

#include "msopt/core/rng.hpp"

using msopt::CounterRng;

// Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
TEST(CounterRng, MatchesPhiloxKnownAnswers) {
  auto zero = CounterRng(0).words(0, 0, 0);
  EXPECT_EQ(zero[0], 0x6627e8d5u);
  EXPECT_EQ(zero[1], 0xe169c58du);
  EXPECT_EQ(zero[2], 0xbc57ac4cu);
  EXPECT_EQ(zero[3], 0x9b00dbd8u);
  auto ones = CounterRng(~std::uint64_t{0}).words(0xffffffffu, ~std::uint64_t{0}, 0xffffffffu);
  EXPECT_EQ(ones[0], 0x408f276du);
  EXPECT_EQ(ones[1], 0x41c83b0eu);
  EXPECT_EQ(ones[2], 0xa20bc7c6u);
  EXPECT_EQ(ones[3], 0x6d5451fdu);
  auto pi = CounterRng(0x299f31d0a4093822ull).words(0x03707344u, 0x13198a2e85a308d3ull, 0x243f6a88u);
  EXPECT_EQ(pi[0], 0xd16cfe09u);
  EXPECT_EQ(pi[1], 0x94fdccebu);
  EXPECT_EQ(pi[2], 0x5001e420u);
  EXPECT_EQ(pi[3], 0x24126ea1u);
}

TEST(CounterRng, NormalsHaveUnitMoments) {
  CounterRng rng(42);
  const int n = 200000;
  double sum = 0, sum2 = 0, sum4 = 0;
  for (int i = 0; i < n / 2; ++i)
    for (double z : rng.normal2(0, i, 0)) {
      sum += z;
      sum2 += z * z;
      sum4 += z * z * z * z;
    }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum2 / n, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sum4 / n, 3.0, 5.0 * std::sqrt(96.0 / n));
}
