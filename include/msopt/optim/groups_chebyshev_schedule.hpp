// A multirate cycle for a spectrum made of scale groups: k_i steps at rates
// 1/lambda, lambda the Chebyshev nodes of each group's interval [a_i, b_i].
// The cycle's error polynomial p(lambda) = prod_k (1 - h_k lambda) (MrGD paper,
// eq. 15) is then the product of the groups' scaled Chebyshev polynomials
//   q_i(lambda) = T_{k_i}((b_i + a_i - 2 lambda) / (b_i - a_i)) / T_{k_i}((b_i + a_i) / (b_i - a_i)),
// each at most 1 / T_{k_i}((b_i + a_i)/(b_i - a_i)) on its own interval
// (Theorem 3.4's single-group bound made Chebyshev) and growing like
// (lambda / a_i)^{k_i} on the larger groups' intervals, where their own
// factors absorb it. The counts are chosen from a rigorous bound on max |p|
// over the union of the intervals; the steps are ordered so that no group's
// running product grows (in floating point it would otherwise reach 1e18+).
//
// Its limit: p is small on the whole of every interval, so its degree is set
// by the intervals, not by the number of eigenvalues in them. CG, which adapts
// to the eigenvalues, gains where the groups hold few: on six groups of 8
// dimensions (d = 48, scales 1 ... 0.003) CG needs 103 evaluations and this
// cycle 232; the best p with p(0) = 1 on the union of the six intervals
// shrinks by exp(-g(0)) = 0.929 per degree asymptotically (g: the union's
// Green's function), about 250 degrees to 1e-8 (issue 12). Where every
// eigenvalue is known, eigenvalue_schedule (below) is small on them only:
// built for the run's start, 129 evaluations there (144 steps per cycle).
#pragma once
#include <petscsys.h>

#include <functional>
#include <limits>
#include <vector>

#include "msopt/optim/multirate_schedule.hpp"

namespace msopt {

// Upper bound on max |p| over group g's interval for k_i = counts[i] nodes per
// group (0: none): the maximum over N > deg p Chebyshev points of the interval
// times 1 / cos(pi deg p / (2N)) (Ehlich and Zeller 1964), so it is rigorous.
double groups_chebyshev_bound(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts, size_t g);

// The least counts for which the product of every factor's maximum on each
// interval (a looser bound on max |p|, in closed form) is at most `target`,
// from the smallest scale up (a group's count absorbs the smaller groups'
// growth on its interval). Throws msopt::Error if a group needs 1e5 or more,
// or all together more than `max_total`.
std::vector<PetscInt> groups_chebyshev_counts(const std::vector<ScaleGroup>& groups, double target,
                                              PetscInt max_total = std::numeric_limits<PetscInt>::max());

// `nodes` in Leja order: the largest first, then each the one farthest (in
// product of distances) from those taken, which keeps partial products bounded.
std::vector<double> leja_order(std::vector<double> nodes);

// Tracks |prod of the steps taken| at `samples` Chebyshev points of every
// group's interval, floored at round-off as worst_amplification() does.
class RunningAmplification {
 public:
  RunningAmplification(const std::vector<ScaleGroup>& groups, int samples);
  // Largest product over all groups after a step at `rate` (no change).
  double peak_after(double rate) const;
  void take(double rate);
  // The largest product so far (at least 1, the start).
  double worst() const;

 private:
  std::vector<double> lambda_, level_;  // every group's sample points, one after the other
  double worst_ = 1;
};

// The schedule for given counts: rates 1/node, one step each, group by group
// (largest scale first, each group's nodes in Leja order); the order of the
// steps is Algorithm 1's (largest rates first) when its worst amplification
// is harmless at `rtol` (paper_order_harmless), else the bounded order: at
// every position the group furthest behind its even share whose next step
// keeps every group at or below a level (the least of 1, 10, 100, ... it can
// keep throughout), else the step that grows them least. worst_amplification
// is the largest |partial product| at N = 4K + 4 points of every interval
// times the Ehlich-Zeller factor: a bound on the whole intervals;
// cycle_contraction is groups_chebyshev_bound's maximum.
MultirateSchedule groups_chebyshev_schedule(const std::vector<ScaleGroup>& groups, const std::vector<PetscInt>& counts,
                                            StepOrder order, double rtol);

// Counts chosen automatically: the per-cycle target in [rtol, 0.5] with the
// fewest predicted gradient evaluations to rtol (steps per cycle times cycles,
// with the closed-form bound of groups_chebyshev_counts).
MultirateSchedule groups_chebyshev_schedule(const std::vector<ScaleGroup>& groups, StepOrder order, double rtol);

// For a quadratic whose every eigenvalue is known (`descending`; those inside
// `groups`, what the spectrum's floor keeps): one cycle of rates 1/lambda at
// the eigenvalues, each next the one whose interval (relative half-width
// max(1e-8, 1e3 eps lambda_max / lambda): its accuracy; see below) is furthest from
// done, until every interval is done. On groups of few eigenvalues this needs
// fewer steps than any polynomial small on the groups' whole intervals, as CG
// does (six groups of 8, from a least-squares start: 129 evaluations against
// 260; CG 104).
//   Done, with p the bound on |p| over the interval (the product of every
// factor's maximum there): p <= 1, and sqrt(s) p <= rtol / sqrt(n) with s the
// interval's share of `start_weights` (the start's squared components per
// eigenvalue of `descending`, called once and only within the limits below;
// none, or all zero: equal shares, then done is p <= rtol). A start's
// gradient then falls to rtol within the cycle (the sum of s p^2 is at most
// rtol^2) and no interval grows from one cycle to the next. Components no
// start holds still count at round-off level (s floored at eps^2).
//   Among the intervals not done, the step goes to the furthest whose step
// keeps every interval's running bound (floored at round-off) under a level,
// the least of 1, 10, 100, ... that holds throughout. cycle_contraction is
// the largest bound; start_residual (with weights) the predicted relative
// gradient after one cycle from the start, sqrt(sum s p^2).
//   The same cycle is also built on the accuracy term alone (eigenvalue_margin
// 0), at 1e3 and at 10 eps lambda_max / lambda. Of those that are shorter and
// still end with |p| <= 1, their worst amplification harmless (then the one
// reported), with the eigenvalues off by 1e-10 relative, and the margined
// cycle, the one taken reaches rtol from the start in the fewest steps with
// each gradient's rounding modelled as 100 eps of the start's gradient
// (steps_to; ties: the shorter). The margin's repeat steps at eigenvalues
// already annihilated cost 1 or 2 evaluations on groups of one eigenvalue, 7
// on five groups of 1 to 3 (kappa 2.7e7: 34 evaluations, CG 16; issue 12).
// Beyond 500 intervals, neighbouring ones are joined, the relatively narrowest
// unions first (N = 1000 samples of d = 800, four groups of 200: 12446
// evaluations, CG 9260; the groups' Chebyshev cycle 36059). Few samples per
// dimension need long cycles (N = 700 samples of d = 650: 51281 steps, 48149
// evaluations, CG 32322). Throws msopt::Error beyond 400000 steps per cycle.
MultirateSchedule eigenvalue_schedule(const std::vector<ScaleGroup>& groups, const std::vector<double>& descending,
                                     double rtol, const std::function<std::vector<double>()>& start_weights = nullptr);

}  // namespace msopt
