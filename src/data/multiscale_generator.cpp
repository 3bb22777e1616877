#include "msopt/data/multiscale_generator.hpp"

#include <petscblaslapack.h>

#include <cmath>
#include <numeric>

#include "msopt/core/error.hpp"
#include "msopt/core/rng.hpp"

namespace msopt {

namespace {

// Random streams of the counter-based generator.
enum Stream : std::uint32_t { kFeatures = 0, kTargets = 1, kTeacher = 2, kRotation = 3, kShift = 4 };

std::vector<double> normals(const CounterRng& rng, Stream stream, std::uint64_t index, PetscInt count) {
  std::vector<double> values(count);
  for (PetscInt j = 0; j < count; j += 2) {
    auto pair = rng.normal2(stream, index, static_cast<std::uint32_t>(j / 2));
    values[j] = pair[0];
    if (j + 1 < count) values[j + 1] = pair[1];
  }
  return values;
}

// Haar-distributed orthogonal matrix (column-major d x d): QR of a Gaussian
// matrix with the signs of R's diagonal moved into Q.
std::vector<double> random_orthogonal(const CounterRng& rng, PetscInt d) {
  std::vector<double> q(static_cast<size_t>(d) * d);
  for (PetscInt col = 0; col < d; ++col) {
    auto column = normals(rng, kRotation, col, d);
    std::copy(column.begin(), column.end(), q.begin() + static_cast<size_t>(col) * d);
  }
  PetscBLASInt n = static_cast<PetscBLASInt>(d), lwork = 64 * n, info = 0;
  std::vector<double> tau(d), work(lwork);
  LAPACKgeqrf_(&n, &n, q.data(), &n, tau.data(), work.data(), &lwork, &info);
  require(info == 0, "LAPACK geqrf failed while building the rotation");
  std::vector<double> sign(d);
  for (PetscInt k = 0; k < d; ++k) sign[k] = q[static_cast<size_t>(k) * d + k] < 0 ? -1.0 : 1.0;
  LAPACKorgqr_(&n, &n, &n, q.data(), &n, tau.data(), work.data(), &lwork, &info);
  require(info == 0, "LAPACK orgqr failed while building the rotation");
  for (PetscInt col = 0; col < d; ++col)
    for (PetscInt row = 0; row < d; ++row) q[static_cast<size_t>(col) * d + row] *= sign[col];
  return q;
}

}  // namespace

PetscInt MultiscaleSpec::dim() const { return std::accumulate(dims.begin(), dims.end(), PetscInt{0}); }

MultiscaleSpec MultiscaleSpec::from_options(Options& o) {
  MultiscaleSpec s;
  s.n = o.positive_integer("-data_n", s.n, "number of samples N");
  auto dims = o.integer_list("-data_dims", "dimension d_k of each scale group (default 80,20)");
  auto scales = o.real_list("-data_scales", "scale eps_k of each group's components (default 1,0.0316)");
  if (!dims.empty()) s.dims = dims;
  if (!scales.empty()) s.scales = scales;
  s.distribution = o.choice("-data_dist", s.distribution, {"normal", "uniform"}, "distribution of the components");
  s.rotate = o.flag("-data_rotate", "apply a random orthogonal rotation U");
  s.shift = o.real("-data_shift", s.shift, "mean shift: xbar ~ shift * N(0, I)");
  s.target = o.choice("-data_target", s.target, {"noise", "teacher", "labels"},
                      "targets: g ~ N(0,1), a linear teacher plus noise, or class labels argmax_k x.w_k");
  s.classes = static_cast<int>(o.positive_integer("-data_classes", s.classes, "classes of -data_target labels"));
  s.noise = o.real("-data_noise", s.noise, "noise level of the teacher targets");
  s.seed = static_cast<std::uint64_t>(o.nonnegative_integer("-data_seed", 1, "random seed"));
  if (o.help_requested()) return s;
  require(s.dims.size() == s.scales.size(), "options -data_dims and -data_scales must have the same length (" +
                                                std::to_string(s.dims.size()) + " vs " +
                                                std::to_string(s.scales.size()) + ")");
  long long total = 0;
  for (PetscInt d : s.dims) {
    require(d > 0, "option -data_dims: every dimension must be positive");
    total += d;
  }
  require(total <= PETSC_MAX_INT, "option -data_dims: the total dimension " + std::to_string(total) + " is too large");
  for (double e : s.scales) require(e > 0, "option -data_scales: every scale must be positive");
  require(s.noise >= 0, "option -data_noise: must not be negative");
  require(s.classes >= 2 && s.classes <= 1000, "option -data_classes: must be in [2, 1000]");
  return s;
}

Dataset generate_multiscale(const MultiscaleSpec& spec, MPI_Comm comm) {
  const PetscInt d = spec.dim();
  const CounterRng rng(spec.seed);
  Dataset data;
  data.comm = comm;
  data.n_global = spec.n;
  data.dim = d;
  data.rows = split_rows(spec.n, comm);
  data.X.resize(static_cast<size_t>(data.rows.count) * d);
  data.y.resize(data.rows.count);

  std::vector<double> column_scale;
  for (size_t k = 0; k < spec.dims.size(); ++k) column_scale.insert(column_scale.end(), spec.dims[k], spec.scales[k]);
  std::vector<double> rotation = spec.rotate ? random_orthogonal(rng, d) : std::vector<double>{};
  std::vector<double> mean = normals(rng, kShift, 0, d);
  for (double& m : mean) m *= spec.shift;
  const int teachers = spec.target == "labels" ? spec.classes : 1;
  std::vector<double> teacher;  // teachers x d
  for (int k = 0; k < teachers; ++k) {
    auto row = normals(rng, kTeacher, static_cast<std::uint64_t>(k), d);
    for (double& t : row) t /= std::sqrt(static_cast<double>(d));
    teacher.insert(teacher.end(), row.begin(), row.end());
  }

  std::vector<double> z(d);
  const PetscBLASInt n = static_cast<PetscBLASInt>(d), one = 1;
  const double done = 1.0, dzero = 0.0;
  for (PetscInt i = 0; i < data.rows.count; ++i) {
    const std::uint64_t global = static_cast<std::uint64_t>(data.rows.begin + i);
    for (PetscInt j = 0; j < d; j += 2) {
      std::array<double, 2> pair;
      if (spec.distribution == "normal") {
        pair = rng.normal2(kFeatures, global, static_cast<std::uint32_t>(j / 2));
      } else {  // uniform on [-sqrt(3), sqrt(3)]: unit variance
        auto u = rng.uniform2(kFeatures, global, static_cast<std::uint32_t>(j / 2));
        pair = {std::sqrt(3.0) * (2 * u[0] - 1), std::sqrt(3.0) * (2 * u[1] - 1)};
      }
      z[j] = pair[0] * column_scale[j];
      if (j + 1 < d) z[j + 1] = pair[1] * column_scale[j + 1];
    }
    double* x = data.X.data() + static_cast<size_t>(i) * d;
    if (spec.rotate)  // one row at a time, so the result never depends on the row block
      BLASgemv_("N", &n, &n, &done, rotation.data(), &n, z.data(), &one, &dzero, x, &one);
    else
      std::copy(z.begin(), z.end(), x);
    for (PetscInt j = 0; j < d; ++j) x[j] += mean[j];

    const double g = rng.normal2(kTargets, global, 0)[0];
    if (spec.target == "noise") {
      data.y[i] = g;
    } else {
      int best = 0;
      double best_score = -HUGE_VAL;
      for (int k = 0; k < teachers; ++k) {
        double dot = 0;
        for (PetscInt j = 0; j < d; ++j) dot += x[j] * teacher[static_cast<size_t>(k) * d + j];
        if (dot > best_score) best_score = dot, best = k;
      }
      data.y[i] = spec.target == "teacher" ? best_score + spec.noise * g : best;
    }
  }

  auto as_numbers = [](const std::vector<PetscInt>& v) { return std::vector<double>(v.begin(), v.end()); };
  data.attributes = {{"generator", {}, "multiscale"},
                     {"dims", as_numbers(spec.dims), ""},
                     {"scales", spec.scales, ""},
                     {"distribution", {}, spec.distribution},
                     {"rotate", {spec.rotate ? 1.0 : 0.0}, ""},
                     {"shift", {spec.shift}, ""},
                     {"target", {}, spec.target},
                     {"noise", {spec.noise}, ""},
                     {"classes", {static_cast<double>(spec.classes)}, ""},
                     {"seed", {static_cast<double>(spec.seed)}, ""}};
  return data;
}

}  // namespace msopt
