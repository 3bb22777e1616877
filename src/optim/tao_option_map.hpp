// Internal to the TAO types (tao_types.cpp): which TAO option sets which msopt
// option, and the adapter that hands the values to msopt's factories.
#pragma once
#include <petscsys.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "msopt/linalg/spectrum.hpp"
#include "msopt/optim/optimizer.hpp"

namespace msopt::tao {

struct MappedOption {
  std::string key;    // the TAO option is -tao_<type>_<key>
  std::string msopt;  // the msopt option it sets
  std::string help;
};

// The mapped options of a TAO type (the spectrum settings included where the
// type can use a spectrum).
const std::vector<MappedOption>& mapped_options(const std::string& type);
// Whether the type can use scale groups (all but adam).
bool uses_spectrum(const std::string& type);

// The values of one TAO object's options, under msopt's names.
class MappedValues {
 public:
  explicit MappedValues(std::string type) : type_(std::move(type)) {}
  // The TAO object's communicator and options prefix (for the names in messages).
  void bind(MPI_Comm comm, const std::string& prefix) {
    comm_ = comm;
    prefix_ = prefix;
  }
  void clear() { values_.clear(); }
  void set(const std::string& msopt_name, const std::string& value) { values_[msopt_name] = value; }
  bool given(const std::string& msopt_name) const { return values_.count(msopt_name) > 0; }
  // The TAO option's full name, e.g. -mine_tao_gd_lr for key "lr" and prefix "mine_".
  std::string tao_name(const std::string& key) const;
  // A message of msopt's with its option names replaced by the TAO ones.
  std::string translate(const std::string& message) const;
  // msopt's optimizer of this type, its options read from these values (a
  // private options database, pushed while it reads). Throws msopt::Error
  // with translated option names.
  std::unique_ptr<StepOptimizer> create_optimizer() const;
  // optimizer.set_up(problem), with translated option names in its errors.
  void set_up(StepOptimizer& optimizer, const ProblemInfo& problem) const;
  SpectrumSettings spectrum_settings() const;

 private:
  template <class T, class F>
  T with_options(F&& read) const;
  std::string type_, prefix_;
  MPI_Comm comm_ = PETSC_COMM_WORLD;
  std::map<std::string, std::string> values_;
};

// Parses smax:smin:size,... (largest scale first). Throws msopt::Error naming `option`.
std::vector<ScaleGroup> parse_groups(const std::string& text, const std::string& option);

}  // namespace msopt::tao
