// Eigenvalues of a symmetric PETSc operator by SLEPc, and their scale groups.
#pragma once
#include <petscmat.h>

#include <string>
#include <vector>

#include "msopt/core/options.hpp"
#include "msopt/linalg/scale_groups.hpp"

namespace msopt {

struct SpectrumSettings {
  // all: every eigenvalue; extremes: nev largest and nev smallest; largest: the nev largest; auto: all up to d = 2000
  std::string method = "auto";
  PetscInt nev = 10;
  double gap_ratio = 3.0;
  double floor = 0;  // eigenvalues <= floor * largest are left out of the groups (null spaces, negative curvature)
  double max_kappa = 0;  // > 0: groups span at most this ratio (bands of a smooth spectrum)
  static SpectrumSettings from_options(Options& options);
};

struct Spectrum {
  std::vector<double> eigenvalues;  // descending
  bool complete = true;             // false when only the extremes are known
  std::vector<ScaleGroup> groups;
  double gap_ratio = 3.0;
  std::vector<double> trace;                            // Hutchinson estimate and its standard error, if computed
  std::vector<double> density_nodes, density_weights;  // SLQ, if computed
  // Of the data it was computed from: N, d, the operator's size, dataset_checksum.
  std::vector<double> fingerprint;
};

// Collective. Options prefixed -spec_ reach the EPS (e.g. -spec_eps_tol).
Spectrum compute_spectrum(Mat A, const SpectrumSettings& settings);

// The scale groups of known eigenvalues (any order) under the settings'
// floor, gap ratio and band width.
std::vector<ScaleGroup> group_eigenvalues(std::vector<double> eigenvalues, const SpectrumSettings& settings);

// The eigenvalues compute_spectrum finds (descending; any sign), without the
// scale groups: for indefinite operators such as a network's Hessian.
// Sets *complete (if given) to whether all of them are known.
std::vector<double> compute_eigenvalues(Mat A, const SpectrumSettings& settings, bool* complete = nullptr);

// Collective: every eigenvalue (SLEPc's LAPACK solver), descending.
std::vector<double> all_eigenvalues(Mat A);

// Collective: the nev largest (or smallest) real eigenvalues of a symmetric
// operator by Krylov-Schur, largest first (smallest first), to relative tolerance tol.
std::vector<double> extreme_eigenvalues(Mat A, bool largest, PetscInt nev, double tol = 1e-12);

// Collective HDF5 storage: /eigenvalues, /group_sigma_max, /group_sigma_min,
// /group_size, optionally /trace and /density_nodes, /density_weights, and
// attributes complete, gap_ratio, source.
void write_spectrum(const std::string& path, MPI_Comm comm, const Spectrum& spectrum, const std::string& source);
Spectrum read_spectrum(const std::string& path, MPI_Comm comm);

}  // namespace msopt
