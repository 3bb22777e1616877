// Peak signal-to-noise ratio, eq. (34) of the MGDL paper:
//   PSNR = 10 log10(n 255^2 / ||v - v_hat||_F^2)
// for n pixels on the 0-255 scale; on msopt's [0, 1] intensities this is
//   PSNR = 10 log10(n / ||v - v_hat||^2) = -10 log10(MSE)  (dB),
// +infinity when the images are equal.
#pragma once
#include <mpi.h>
#include <petscvec.h>

namespace msopt {

// Collective over the Vecs' communicator (same layout).
double psnr(Vec truth, Vec estimate);

// Collective: local_count pixels of each rank, n = their sum over comm.
double psnr(MPI_Comm comm, const double* truth, const double* estimate, PetscInt local_count);

}  // namespace msopt
