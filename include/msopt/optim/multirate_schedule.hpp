// Multirate schedules for MrGD (MrGD paper, Section 3.1).
// Groups are indexed 0..m-1 from the largest scale down (paper's 1..m).
#pragma once
#include <petscsys.h>

#include <limits>
#include <string>
#include <vector>

#include "msopt/linalg/scale_groups.hpp"

namespace msopt {

// automatic: Algorithm 1's order where its amplification is harmless at the
// requested tolerance (paper_order_harmless), the bounded order otherwise.
enum class StepOrder { automatic, bounded, paper };

struct MultirateSchedule {
  std::vector<double> rates;    // eta_i per group
  std::vector<PetscInt> counts; // n_i per group (n_{m-1} = 1 from Theorem 3.4)
  std::vector<int> order;       // group index of every step in one cycle
  double theorem_bound = 0;     // right side of eq. (19); NaN where Theorem 3.4 does not apply (eta_i sigma_i > 1)
  double cycle_contraction = 0; // max over groups of prod_j max|1 - eta_j lambda|^{n_j} on the group's interval
  double worst_amplification = 1;  // of `order`, see worst_amplification()
  double naive_amplification = 1;  // of Algorithm 1's order (largest rates first)
  double chebyshev_kappa = 0;   // > 0: a Chebyshev cycle (chebyshev_schedule.hpp) on [sigma/kappa, sigma]
  // Non-empty: Chebyshev nodes per scale group (groups_chebyshev_schedule.hpp).
  std::vector<ScaleGroup> chebyshev_groups;
  std::vector<PetscInt> chebyshev_group_counts;
  // > 0: rates at the eigenvalues of this many intervals about them (eigenvalue_schedule).
  PetscInt eigenvalue_intervals = 0;
  // Their least relative half-width over the accuracy term (0: that term alone), eigenvalue_accuracy eps
  // lambda_max / lambda.
  double eigenvalue_margin = 0;
  double eigenvalue_accuracy = 0;
  // More eigenvalues than intervals allowed: neighbouring intervals were joined, the narrowest unions first.
  bool eigenvalue_intervals_joined = false;
  // > 0: the relative gradient predicted after one cycle from the run's start (eigenvalue_schedule's weights).
  double start_residual = 0;
  bool paper_order_used = false;

  PetscInt steps_per_cycle() const { return static_cast<PetscInt>(order.size()); }
  std::string describe() const;
};

// eta_i = 1 / (eta * sigma_i) (Corollary 3.8).
std::vector<double> rates_from_eta(const std::vector<ScaleGroup>& groups, double eta);

// Theorem 3.4: n_{m-1} = 1 and n_i = ceil(sum_{j>i} n_j F_{i,j}) (eq. 18), at least 1;
// a group's own factor per step is floored at eps kappa, the accuracy a step attains.
std::vector<PetscInt> theorem34_counts(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates);
// F_{i,j} of Theorem 3.4 (0-based i < j).
double theorem34_F(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates, size_t i, size_t j);
// Whether Theorem 3.4 covers these rates: eta_i sigma_i <= 1 for every group.
bool theorem34_applies(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates);
// Right side of eq. (19): prod_j (1 - eta_j sigma_{m,d_m})^{n_j}.
double theorem34_bound(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                       const std::vector<PetscInt>& counts);

// Steps of a schedule (at most three cycles, fewer than `limit`, else infinity)
// until a start with these squared gradient components along the eigenvectors
// of `eigenvalues`, from the cycle's first step, falls to rtol relative. With
// `noise` > 0, every gradient is off by noise ||g_0|| in root mean square, spread
// evenly over the eigenvectors, which a step at rate h passes on to the
// component at lambda times h lambda (rounding: annihilated components come back,
// the more the smaller the step's centre).
double steps_to(const MultirateSchedule& s, const std::vector<double>& eigenvalues, const std::vector<double>& weights,
                double rtol, double limit = std::numeric_limits<double>::infinity(), double noise = 0);
// The eigenvalues the groups hold (at least the bottom group's least: what the spectrum's floor keeps) and
// their weights, as steps_to takes them (`weights` empty, or all zero there: equal ones).
struct HeldEigenvalues {
  std::vector<double> values, weights;
};
HeldEigenvalues held_eigenvalues(const std::vector<ScaleGroup>& groups, const std::vector<double>& eigenvalues,
                                 const std::vector<double>& weights);

// log of the largest |1 - eta lambda| over lambda in group g's interval.
double log_step_factor(const ScaleGroup& group, double rate);

// The largest factor by which any group's error bound grows above its value
// at the start of the cycle, over all prefixes of `order`. A group's level is
// floored at machine epsilon: damping below round-off is not real headroom.
double worst_amplification(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                           const std::vector<int>& order);

// Algorithm 1's order: n_{m-1} steps of the largest rate first, then down.
std::vector<int> paper_order(const std::vector<PetscInt>& counts);
// Greedy: at each position the largest rate that keeps every group at or
// below its cycle-start level, else the step that grows them least.
std::vector<int> greedy_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                              const std::vector<PetscInt>& counts);
// Even spreading: step k of rate j at position (k + 1/2) / n_j, so each
// amplifying step is followed by its share (n_i / n_j >= F_{i,j}) of damping steps.
std::vector<int> spread_order(const std::vector<double>& rates, const std::vector<PetscInt>& counts);
// Pacing: at each position, of the groups whose next step keeps every group at
// or below `bound` times its cycle-start level, the one furthest behind its
// even share of the cycle (as spread_order); if none, the step that grows them
// least. Theorem 3.4's counts leave a group's damping no slack, so greedy_order
// spends it early and spread_order lets a few amplifying steps meet: on a
// spectrum with the data's mean as a lone top eigenvalue (gap 4e-4, kappa
// 2.8e9) they reached 1e15 and more, paced_order at level 100 stayed at 81.
std::vector<int> paced_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                             const std::vector<PetscInt>& counts, double bound);
// Remark 3.6 makes any order exact in exact arithmetic, not in floating point:
// of greedy_order, spread_order and, unless one of these is harmless at the
// run's tolerance rtol (paper_order_harmless), paced_order at levels 1, 10,
// ..., 1e8 until one is, the order with the least worst amplification.
std::vector<int> bounded_order(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                               const std::vector<PetscInt>& counts, double rtol);

// Rounding errors grow by at most `amplification` before the cycle ends:
// harmless when that stays 100x below the requested relative tolerance.
bool paper_order_harmless(double amplification, double rtol);

// Largest contraction over the groups' eigenvalue intervals in one cycle.
double cycle_contraction(const std::vector<ScaleGroup>& groups, const std::vector<double>& rates,
                         const std::vector<PetscInt>& counts);

// Completes a schedule from rates and counts (orders steps, computes bounds);
// rtol is the tolerance the run stops at (for StepOrder::automatic).
MultirateSchedule make_schedule(const std::vector<ScaleGroup>& groups, std::vector<double> rates,
                                std::vector<PetscInt> counts, StepOrder order, double rtol);

// Chooses eta in [0.55, 8] minimising the predicted gradient evaluations
// (steps per cycle / -log(cycle contraction), the interval bound) with
// Theorem 3.4's counts; below 1 the rates exceed 1/sigma_i, outside the theorem.
MultirateSchedule select_schedule(const std::vector<ScaleGroup>& groups, double* chosen_eta, StepOrder order,
                                  double rtol);

}  // namespace msopt
