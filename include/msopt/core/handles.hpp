// RAII owners for PETSc/SLEPc objects: destroy on scope exit, move-only.
#pragma once
#include <petscksp.h>
#include <petscmat.h>
#include <petsctao.h>
#include <petscvec.h>
#include <slepceps.h>

#include <utility>

namespace msopt {

template <class T, PetscErrorCode (*Destroy)(T*)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T object) : object_(object) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = std::exchange(other.object_, nullptr);
    }
    return *this;
  }
  ~Handle() { reset(); }

  void reset() {
    if (object_) Destroy(&object_);
    object_ = nullptr;
  }
  T get() const { return object_; }
  operator T() const { return object_; }  // NOLINT: pass straight to PETSc calls
  T* out() {
    reset();
    return &object_;
  }

 private:
  T object_ = nullptr;
};

using MatHandle = Handle<Mat, MatDestroy>;
using VecHandle = Handle<Vec, VecDestroy>;
using KSPHandle = Handle<KSP, KSPDestroy>;
using EPSHandle = Handle<EPS, EPSDestroy>;
using TaoHandle = Handle<Tao, TaoDestroy>;
using ScatterHandle = Handle<VecScatter, VecScatterDestroy>;

}  // namespace msopt
