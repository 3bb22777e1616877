#include "msopt/linalg/hessian_tools.hpp"

#include <petscsys.h>
#include <petscblaslapack.h>

#include <cmath>
#include <memory>

#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"
#include "msopt/linalg/operators.hpp"

namespace msopt {

namespace {

// v_S -> (H(point) embed(v_S))_S on replicated vectors.
class RestrictedHessian {
 public:
  RestrictedHessian(Objective& f, const std::vector<double>& point, const std::vector<PetscInt>& indices)
      : f_(f), point_(point), indices_(indices), full_in_(f.dim(), 0.0), full_out_(f.dim()) {
    require(point.size() == static_cast<size_t>(f.dim()), "the Hessian point has the wrong length");
    for (size_t k = 0; k < indices.size(); ++k)
      require(indices[k] >= 0 && indices[k] < f.dim() && (k == 0 || indices[k] > indices[k - 1]),
              "parameter indices must be sorted, distinct and within [0, " + std::to_string(f.dim()) + ")");
    require(!indices.empty(), "the parameter block is empty");
  }
  size_t size() const { return indices_.size(); }
  void apply(const double* v, double* out) {
    for (size_t k = 0; k < indices_.size(); ++k) full_in_[indices_[k]] = v[k];
    f_.hessian_vector(point_.data(), full_in_.data(), full_out_.data());
    for (size_t k = 0; k < indices_.size(); ++k) out[k] = full_out_[indices_[k]];
  }
  // Local share only (for the shell: the reduction is a reduce-scatter there).
  void apply_local(const double* v, double* out) {
    for (size_t k = 0; k < indices_.size(); ++k) full_in_[indices_[k]] = v[k];
    f_.local_hessian_vector(point_.data(), full_in_.data(), full_out_.data());
    for (size_t k = 0; k < indices_.size(); ++k) out[k] = full_out_[indices_[k]];
  }
 private:
  Objective& f_;
  std::vector<double> point_;
  std::vector<PetscInt> indices_;
  std::vector<double> full_in_, full_out_;
};

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k) s += a[k] * b[k];
  return s;
}

}  // namespace

MatHandle create_restricted_hessian_shell(Objective& objective, const std::vector<double>& point,
                                          const std::vector<PetscInt>& indices) {
  auto op = std::make_shared<RestrictedHessian>(objective, point, indices);  // validates first
  return create_replicated_shell(
      objective.comm(), static_cast<PetscInt>(indices.size()),
      [op](const double* v, double* partial) { op->apply_local(v, partial); }, objective.local_hessian_vector_flops());
}

TraceEstimate hutchinson_trace(Objective& objective, const std::vector<double>& point,
                               const std::vector<PetscInt>& indices, int probes, std::uint64_t seed) {
  require(probes >= 2, "Hutchinson's estimator needs at least two probes");
  RestrictedHessian H(objective, point, indices);
  const CounterRng rng(seed);
  std::vector<double> z(H.size()), Hz(H.size());
  double sum = 0, sum2 = 0;
  for (int k = 0; k < probes; ++k) {
    for (size_t j = 0; j < z.size(); j += 2) {
      auto u = rng.uniform2(7, static_cast<std::uint64_t>(k), static_cast<std::uint32_t>(j / 2));
      z[j] = u[0] < 0.5 ? -1.0 : 1.0;
      if (j + 1 < z.size()) z[j + 1] = u[1] < 0.5 ? -1.0 : 1.0;
    }
    H.apply(z.data(), Hz.data());
    const double sample = dot(z, Hz);
    sum += sample;
    sum2 += sample * sample;
  }
  TraceEstimate t;
  t.trace = sum / probes;
  t.standard_error = std::sqrt(std::max(0.0, sum2 / probes - t.trace * t.trace) / (probes - 1));
  return t;
}

double SpectralDensity::at(double x, double sigma) const {
  double density = 0;
  for (size_t k = 0; k < nodes.size(); ++k)
    density += weights[k] * std::exp(-0.5 * (x - nodes[k]) * (x - nodes[k]) / (sigma * sigma));
  return density / (sigma * std::sqrt(2 * M_PI));
}

SpectralDensity lanczos_density(Objective& objective, const std::vector<double>& point,
                                const std::vector<PetscInt>& indices, int probes, int steps, std::uint64_t seed) {
  require(probes >= 1 && steps >= 1, "SLQ needs at least one probe and one Lanczos step");
  RestrictedHessian H(objective, point, indices);
  const size_t n = H.size();
  const int m = static_cast<int>(std::min<size_t>(steps, n));
  const CounterRng rng(seed);
  SpectralDensity density;
  std::vector<std::vector<double>> Q;
  std::vector<double> w(n), alpha, beta;
  for (int probe = 0; probe < probes; ++probe) {
    std::vector<double> q(n);
    for (size_t j = 0; j < n; j += 2) {
      auto g = rng.normal2(8, static_cast<std::uint64_t>(probe), static_cast<std::uint32_t>(j / 2));
      q[j] = g[0];
      if (j + 1 < n) q[j + 1] = g[1];
    }
    double norm = std::sqrt(dot(q, q));
    for (double& x : q) x /= norm;
    Q.assign(1, q);
    alpha.clear();
    beta.clear();
    for (int k = 0; k < m; ++k) {
      H.apply(Q[k].data(), w.data());
      alpha.push_back(dot(w, Q[k]));
      for (const auto& qi : Q) {  // full reorthogonalisation (twice is enough)
        double c = dot(w, qi);
        for (size_t j = 0; j < n; ++j) w[j] -= c * qi[j];
      }
      for (const auto& qi : Q) {
        double c = dot(w, qi);
        for (size_t j = 0; j < n; ++j) w[j] -= c * qi[j];
      }
      const double b = std::sqrt(dot(w, w));
      if (k + 1 == m || b <= 1e-12 * std::fabs(alpha.front())) break;
      beta.push_back(b);
      for (double& x : w) x /= b;
      Q.push_back(w);
    }
    // Eigen-decomposition of the tridiagonal (LAPACK steqr): nodes and weights.
    PetscBLASInt size = static_cast<PetscBLASInt>(alpha.size()), info = 0;
    std::vector<double> d = alpha, e = beta, Z(alpha.size() * alpha.size()), work(std::max<size_t>(1, 2 * alpha.size()));
    e.resize(alpha.size());
    LAPACKsteqr_("I", &size, d.data(), e.data(), Z.data(), &size, work.data(), &info);
    require(info == 0, "LAPACK steqr failed in SLQ");
    for (size_t j = 0; j < alpha.size(); ++j) {
      density.nodes.push_back(d[j]);
      density.weights.push_back(Z[j * alpha.size()] * Z[j * alpha.size()] / probes);
    }
  }
  return density;
}

}  // namespace msopt
