#include "msopt/core/job_exit.hpp"

#include "msopt/core/termination.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace msopt {

namespace {

MPI_Comm agreement = MPI_COMM_NULL;

void print_line(const std::string& message) {
  std::fprintf(stderr, "msopt: error: %s\n", message.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
}

}  // namespace

void init_error_agreement(MPI_Comm world) { MPI_Comm_dup(world, &agreement); }

void end_after_local_error(const std::string& message) {
  int rank = 0, lowest = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Request request = MPI_REQUEST_NULL;
  int done = 0;
  if (agreement != MPI_COMM_NULL && MPI_Iallreduce(&rank, &lowest, 1, MPI_INT, MPI_MIN, agreement, &request) == MPI_SUCCESS) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (done) {
    if (rank == lowest) print_line(message);
    return;
  }
  print_line(message);
  remove_watched_paths();
  _exit(1);
}

}  // namespace msopt
