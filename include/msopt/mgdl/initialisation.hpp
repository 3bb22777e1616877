// Starting points of the MGDL, SGDL and MSDL networks. "torch" is PyTorch's
// default nn.Linear initialisation, which the MGDL paper's experiments use:
// W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in)). Unlike the zero biases of "he" and
// "glorot", it places the ReLU kinks inside the data for 1-D inputs (Section 5).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "msopt/models/mlp.hpp"

namespace msopt {

// "torch", "he" or "glorot" (the last two: Mlp::initial_parameters). Entry
// (layer, neuron, input) depends only on (seed, layer, neuron, input).
std::vector<double> network_initial_parameters(const Mlp& net, std::uint64_t seed, const std::string& scheme);

}  // namespace msopt
