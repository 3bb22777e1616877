// Second-order jets of functions of two variables (value, gradient, Hessian)
// and the chain rule, to build the 2-D toy landscapes from 1-D profiles.
#pragma once
#include "msopt/landscape/scalar_profiles.hpp"
#include "msopt/landscape/toy_landscape.hpp"

namespace msopt::jet2 {

struct Jet {
  double v = 0;
  double g[2] = {0, 0};
  double h[3] = {0, 0, 0};  // d11, d12, d22
};

inline Jet variable(double value, int which) {
  Jet j;
  j.v = value;
  j.g[which] = 1;
  return j;
}

inline Jet operator+(Jet a, const Jet& b) {
  a.v += b.v;
  for (int k = 0; k < 2; ++k) a.g[k] += b.g[k];
  for (int k = 0; k < 3; ++k) a.h[k] += b.h[k];
  return a;
}

inline Jet operator*(double c, Jet a) {
  a.v *= c;
  for (double& x : a.g) x *= c;
  for (double& x : a.h) x *= c;
  return a;
}

inline Jet operator*(const Jet& a, const Jet& b) {
  Jet p;
  p.v = a.v * b.v;
  for (int k = 0; k < 2; ++k) p.g[k] = a.g[k] * b.v + a.v * b.g[k];
  p.h[0] = a.h[0] * b.v + 2 * a.g[0] * b.g[0] + a.v * b.h[0];
  p.h[1] = a.h[1] * b.v + a.g[0] * b.g[1] + a.g[1] * b.g[0] + a.v * b.h[1];
  p.h[2] = a.h[2] * b.v + 2 * a.g[1] * b.g[1] + a.v * b.h[2];
  return p;
}

// phi(s) for a profile p = (phi, phi', phi'') evaluated at s.v.
inline Jet compose(const Profile& p, const Jet& s) {
  Jet j;
  j.v = p.value;
  for (int k = 0; k < 2; ++k) j.g[k] = p.d1 * s.g[k];
  j.h[0] = p.d2 * s.g[0] * s.g[0] + p.d1 * s.h[0];
  j.h[1] = p.d2 * s.g[0] * s.g[1] + p.d1 * s.h[1];
  j.h[2] = p.d2 * s.g[1] * s.g[1] + p.d1 * s.h[2];
  return j;
}

inline LandscapeJet to_landscape(const Jet& j) {
  return {j.v, {j.g[0], j.g[1]}, {j.h[0], j.h[1], j.h[1], j.h[2]}};
}

}  // namespace msopt::jet2
