#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "image_test_util.hpp"
#include "msopt/core/error.hpp"
#include "msopt/mgdl/blur_operator.hpp"

using namespace msopt;
using namespace msopt::testing;

namespace {

// The 6 x 7 image f[r][c] = ((7r + 3c) mod 11) / 10 + 0.01 r c.
std::vector<double> fixture_image() {
  std::vector<double> f;
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 7; ++c) f.push_back(((7 * r + 3 * c) % 11) / 10.0 + 0.01 * r * c);
  return f;
}

// scipy 1.10.1 (Debian 12), computed independently of msopt:
//   g = exp(-k**2 / (2 s**2)), k = -3s..3s; g /= g.sum(); K = outer(g, g)
//   scipy.ndimage.correlate(f, K, mode='reflect')
// for s = 1 (7 x 7 kernel) and s = 3 (19 x 19: wider than the image, so the
// mirror extension repeats).
const double kScipySigma1[] = {
    0.33636692433274723, 0.44574882610751748, 0.54442364984180791, 0.5531538641964252,  0.46072786222323464,
    0.43913319602346362, 0.51818425914693456, 0.4934161767602534,  0.54938685773719387, 0.56015304060934823,
    0.53420634164994329, 0.49322452870306166, 0.49653110538288259, 0.56658581155507548, 0.58287684499483106,
    0.59337916554839676, 0.57363956352214218, 0.52731723611414205, 0.52020950947349165, 0.59436256578449786,
    0.69596387958300376, 0.62752152394235128, 0.59040034818309373, 0.56113372852497145, 0.54339562959411591,
    0.56648957075202278, 0.66201790247214265, 0.74213368464060459, 0.58179167045988989, 0.57887528242991826,
    0.54695506364084701, 0.54147000042796922, 0.62929041295829469, 0.7526577868981047,  0.79980992758883496,
    0.46627714504860651, 0.54973734500846128, 0.55318055093241625, 0.51473942189482824, 0.62597121800227939,
    0.81724727223317684, 0.91991330507667401};
const double kScipySigma3[] = {
    0.53225551283089079, 0.53570323269114661, 0.54201969672480788, 0.55050069199400564, 0.5595343412093966,
    0.56712249086029842, 0.5714937977618556,  0.53708013913343333, 0.54086974024355083, 0.54794289276855468,
    0.55752954423017187, 0.56784858802287175, 0.57661794686096768, 0.58170394081387167, 0.54483050762798246,
    0.54926540960254011, 0.55773978408388902, 0.56934463019385995, 0.58198380702175234, 0.59286785886157778,
    0.5992252693354857,  0.55319779066693231, 0.55844334635638571, 0.56864654043691676, 0.58270761290148165,
    0.59813484817141171, 0.6115371502175212,  0.61940205458479092, 0.56003290921781246, 0.56601337889411962,
    0.57776749019636631, 0.59401507066289305, 0.61190549065453648, 0.62751964202357902, 0.63670603038089746,
    0.5636461525125781,  0.57009665353890604, 0.58282870129684605, 0.60043942463348077, 0.61985038794452951,
    0.63681875614960881, 0.64681074568548924};

}  // namespace

TEST(BlurOperator, MatchesScipyCorrelateWithReflectBoundary) {
  const ImageGrid grid{6, 7};
  const auto f = fixture_image();
  for (PetscInt s : {1, 3}) {
    MatHandle K = create_blur_operator(PETSC_COMM_WORLD, grid, s);
    const auto blurred = apply_operator(K, f);
    const double* expected = s == 1 ? kScipySigma1 : kScipySigma3;
    ASSERT_EQ(blurred.size(), 42u);
    for (size_t i = 0; i < 42; ++i) EXPECT_NEAR(blurred[i], expected[i], 1e-14) << "sigma " << s << " pixel " << i;
  }
}

TEST(BlurOperator, PaperKernelsOnAPaddedLoop) {
  // sigma-hat = 3, 5, 7 (the paper's): a plain loop over an image padded by
  // explicit mirror copies, one reflection deep (the radius fits the image).
  const PetscInt H = 23, W = 22;
  const auto f = test_image(H, W);
  for (PetscInt s : {3, 5, 7}) {
    const PetscInt R = 3 * s, HP = H + 2 * R, WP = W + 2 * R;
    std::vector<double> padded(static_cast<size_t>(HP * WP));
    for (PetscInt r = 0; r < HP; ++r)
      for (PetscInt c = 0; c < WP; ++c) {
        PetscInt rr = r - R, cc = c - R;  // d c b a | a b c d | d c b a
        if (rr < 0) rr = -rr - 1;
        if (rr >= H) rr = 2 * H - 1 - rr;
        if (cc < 0) cc = -cc - 1;
        if (cc >= W) cc = 2 * W - 1 - cc;
        padded[r * WP + c] = f[rr * W + cc];
      }
    std::vector<double> k(static_cast<size_t>(2 * R + 1));
    double sum = 0;
    for (PetscInt a = -R; a <= R; ++a) sum += k[a + R] = std::exp(-0.5 * a * a / double(s * s));
    MatHandle K = create_blur_operator(PETSC_COMM_WORLD, ImageGrid{H, W}, s);
    const auto blurred = apply_operator(K, f);
    double worst = 0;
    for (PetscInt r = 0; r < H; ++r)
      for (PetscInt c = 0; c < W; ++c) {
        double v = 0;
        for (PetscInt a = 0; a <= 2 * R; ++a)
          for (PetscInt b = 0; b <= 2 * R; ++b) v += k[a] * k[b] * padded[(r + a) * WP + c + b];
        worst = std::max(worst, std::fabs(v / (sum * sum) - blurred[r * W + c]));
      }
    EXPECT_LT(worst, 1e-14) << "sigma " << s;
    // A constant image stays constant (normalised kernel, mirror boundary).
    const auto ones = apply_operator(K, std::vector<double>(static_cast<size_t>(H * W), 1.0));
    for (double v : ones) EXPECT_NEAR(v, 1.0, 1e-14);
  }
}

TEST(BlurOperator, KernelAndParameterChecks) {
  const auto g = gaussian_kernel_1d(5);
  ASSERT_EQ(g.size(), 31u);  // 6 sigma + 1
  double sum = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    sum += g[i];
    EXPECT_DOUBLE_EQ(g[i], g[g.size() - 1 - i]);
  }
  EXPECT_NEAR(sum, 1.0, 1e-15);
  EXPECT_NEAR(g[16] / g[15], std::exp(-1.0 / 50), 1e-15);
  EXPECT_EQ(reflect_index(-1, 4), 0);
  EXPECT_EQ(reflect_index(4, 4), 3);
  EXPECT_EQ(reflect_index(-6, 4), 2);  // two reflections: ... b c d | d c b a | a b c d
  EXPECT_EQ(reflect_index(9, 4), 1);
  for (double bad : {0.0, -3.0, 2.5, 17.0, std::numeric_limits<double>::quiet_NaN()})
    EXPECT_THROW(check_blur_sigma(bad), Error) << bad;
  EXPECT_NO_THROW(check_blur_sigma(7));
  EXPECT_THROW(create_blur_operator(PETSC_COMM_WORLD, ImageGrid{4, 4}, 0), Error);
}
