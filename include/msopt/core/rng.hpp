// Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11): the
// value for (seed, stream, index, slot) is a pure function of those numbers,
// so sample i is the same whichever rank generates it.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

namespace msopt {

class CounterRng {
 public:
  explicit CounterRng(std::uint64_t seed) : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)} {}

  // Four independent 32-bit words for counter (stream, index, block).
  std::array<std::uint32_t, 4> words(std::uint32_t stream, std::uint64_t index, std::uint32_t block) const {
    std::array<std::uint32_t, 4> c{block, static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                                   stream};
    std::array<std::uint32_t, 2> k = key_;
    for (int round = 0; round < 10; ++round) {
      std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c[0];
      std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c[2];
      c = {static_cast<std::uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<std::uint32_t>(p0)};
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
    return c;
  }

  // Two uniforms in (0, 1) with 53 random bits each.
  std::array<double, 2> uniform2(std::uint32_t stream, std::uint64_t index, std::uint32_t block) const {
    auto w = words(stream, index, block);
    return {to_open_unit((std::uint64_t{w[0]} << 32) | w[1]), to_open_unit((std::uint64_t{w[2]} << 32) | w[3])};
  }

  // Two independent standard normals (Box-Muller).
  std::array<double, 2> normal2(std::uint32_t stream, std::uint64_t index, std::uint32_t block) const {
    auto u = uniform2(stream, index, block);
    double radius = std::sqrt(-2.0 * std::log(u[0]));
    double angle = 2.0 * M_PI * u[1];
    return {radius * std::cos(angle), radius * std::sin(angle)};
  }

 private:
  static double to_open_unit(std::uint64_t bits) { return ((bits >> 11) + 0.5) * 0x1.0p-53; }
  std::array<std::uint32_t, 2> key_;
};

}  // namespace msopt
