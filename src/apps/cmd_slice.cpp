// msopt slice: the loss along the gradient (or a random) direction through a
// point (-model_start), with its second finite differences (landscape paper, Fig. 3.1).
#include <cstdio>
#include <sstream>

#include "commands.hpp"
#include "msopt/core/error.hpp"
#include "msopt/core/h5file.hpp"
#include "msopt/core/text_files.hpp"
#include "msopt/landscape/loss_slice.hpp"

namespace msopt::apps {

int run_slice(MPI_Comm comm) {
  Options o(comm, "slice", "the loss along a line through a point and its second finite differences");
  Problem problem;
  problem.read_options(o);
  auto direction = o.choice("-slice_direction", "gradient", {"gradient", "random"}, "direction of the line");
  PetscInt seed = o.nonnegative_integer("-slice_seed", 1, "seed of the random direction");
  double radius = o.positive_real("-slice_radius", 1.0, "the line runs over t in [-radius, radius]");
  PetscInt points = o.positive_integer("-slice_points", 101, "points on the line (odd, >= 3)");
  auto out = o.required_string("-slice_out", "HDF5 file for t, loss, second differences (a CSV is written beside)");
  if (o.finish()) return 0;
  require(points >= 3 && points % 2 == 1 && points <= 100001, "option -slice_points: must be odd, in [3, 100001]");
  RunFiles files(comm);
  problem.declare_files(files);
  files.output("-slice_out", out, path_stem(out) + ".csv", "t,loss,second_difference");
  files.check();

  problem.load(comm);
  Objective& model = *problem.objective;
  const std::vector<double>& w = problem.start;  // -model_start, or the initial parameters
  std::vector<double> u(w.size());
  if (direction == "gradient")
    model.value_and_gradient(w.data(), u.data());
  else
    u = random_direction(model.dim(), static_cast<std::uint64_t>(seed));
  LossSlice slice = loss_slice(model, w, u, radius, static_cast<int>(points));

  const size_t mid = slice.t.size() / 2;
  PetscPrintf(comm,
              "slice: %s direction, t in [-%g, %g], %d points: loss at the point %.8e, curvature u^T H u %.6e, "
              "second difference %.6e at t = 0, %.6e and %.6e at the ends\n",
              direction.c_str(), radius, radius, static_cast<int>(points), slice.loss[mid], slice.curvature_at_point,
              slice.second_difference[mid - 1], slice.second_difference.front(), slice.second_difference.back());
  H5File file = H5File::create_atomic(out, comm);
  file.write_array("t", slice.t);
  file.write_array("loss", slice.loss);
  file.write_array("second_difference", slice.second_difference);
  file.write_attribute("curvature_at_point", std::vector<double>{slice.curvature_at_point});
  file.write_attribute("direction", direction);
  file.commit();
  std::ostringstream text;
  text.precision(17);
  text << "t,loss,second_difference\n";
  for (size_t k = 0; k < slice.t.size(); ++k) {
    text << slice.t[k] << ',' << slice.loss[k] << ',';
    if (k > 0 && k + 1 < slice.t.size()) text << slice.second_difference[k - 1];
    text << '\n';
  }
  const std::string csv = path_stem(out) + ".csv";
  write_text_file(csv, comm, text.str());
  PetscPrintf(comm, "slice: wrote %s and %s\n", out.c_str(), csv.c_str());
  return 0;
}

}  // namespace msopt::apps
