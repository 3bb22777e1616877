#!/usr/bin/env bash
# The multiscale-landscape experiments on Fashion-MNIST, on
# $MSOPT_RANKS ranks (default 2); figures and tables in OUT (default
# results/fashion_mnist):
#   stages   MrGD paper Figs 1, 2, 4: MLP 784-1024-128-10, GD at 0.1, stages by
#            test accuracy; first-layer gradient rows beside the principal
#            values; eigenvalues of neuron blocks of layers 1 and 2
#   softmax  MrGD beyond quadratics (Sec. 3.2): loss vs gradient evaluations
#            for a GD rate sweep, heavy-ball, Nesterov, Adam, TAO L-BFGS, MrGD
#            (Theorem 3.4's schedule and Chebyshev cycles)
#   mlp_late MrGD vs GD on the MLP from its 80 % snapshot (rates from the top
#            of the Hessian spectrum, rebuilt every 50 evaluations)
#   eos      edge of stability (Fig. 2.1 left): sharpness vs 2/eta and the loss of GD
#            on an MLP; loss slice along the gradient (Fig. 3.1)
# MSOPT_SCALE=reduced (default; 10000 training samples, minutes) or full
# (60000 samples, hours: jobscripts/fashion_mnist.sbatch).
#   scripts/fashion_mnist_experiments.sh [all|stages|mlp_late|softmax|eos] [OUT]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MSOPT_ROOT"
what=${1:-all}
out=${2:-results/fashion_mnist}
scale=${MSOPT_SCALE:-reduced}
mkdir -p "$out/data"
case $scale in
  reduced) n_train=10000 n_mlp=5000 mlp_its=150 late_its=100 hess_nev=20 sm_its=2000 n_eos=2000 eos_its=1500 eos_every=25 ;;
  full) n_train=60000 n_mlp=60000 mlp_its=3000 late_its=1000 hess_nev=0 sm_its=2000 n_eos=5000 eos_its=3000 eos_every=50 ;;
  *) echo "MSOPT_SCALE must be reduced or full" >&2; exit 2 ;;
esac
fm=/usr/share/datasets/fashion-mnist

# PCA-aligned training data (its first N samples) and the test set aligned
# with the same axes: OUT/data/fm<N>_{train,test}_pca.h5.
aligned() {
  local n=$1
  if [ ! -f "$out/data/fm${n}_train_pca.h5" ]; then
    msopt_run data fashion-mnist -data_limit "$n" -data_out "$out/data/fm${n}_train.h5"
    msopt_run data fashion-mnist -data_images $fm/t10k-images-idx3-ubyte.gz \
      -data_labels $fm/t10k-labels-idx1-ubyte.gz -data_out "$out/data/fm_test.h5"
    msopt_run data pca -data_file "$out/data/fm${n}_train.h5" -data_out "$out/data/fm${n}_train_pca.h5" \
      -data_apply "$out/data/fm_test.h5" -data_apply_out "$out/data/fm${n}_test_pca.h5"
  fi
}

stages() {
  aligned $n_mlp
  local train=$out/data/fm${n_mlp}_train_pca.h5 test=$out/data/fm${n_mlp}_test_pca.h5
  local common=(-options_file runs/fmnist_mlp_stages.opts -data_file "$train")
  echo "== MLP stages ($n_mlp samples, at most $mlp_its GD steps)"
  msopt_run train "${common[@]}" -track_test "$test" -opt_max_it $mlp_its -progress_seconds 30 \
    -history_out "$out/mlp_gd.h5" | grep -E "^train:|track: test accuracy .* saved"
  local spec=(-spec_method all)
  [ "$hess_nev" -gt 0 ] && spec=(-spec_method largest -spec_nev $hess_nev)
  for stage in "$out"/mlp_gd_track_acc*.h5; do
    local name=${stage##*_acc}
    name=${name%.h5}
    msopt_run evaluate "${common[@]}" -model_start "$stage" -eval_gradient_out "$out/mlp_gradient_$name.h5" |
      grep "^evaluate:" | sed -n 1p
    # Proposition 2.5's blocks: neuron 0 of layer 1 (W1[0,:]) and neuron 1 of layer 2 (W2[1,:]).
    for block in 0,0 1,1; do
      msopt_run spectrum "${common[@]}" -spec_point "$stage" -spec_neuron $block "${spec[@]}" -spec_floor 0 \
        -spec_out "$out/mlp_hessian_${block/,/_}_$name.h5" | grep "eigenvalues of the Hessian"
    done
  done
}

# MrGD on the MLP's later stage (from the 80 % snapshot): rates from the top
# of the Hessian spectrum, rebuilt every 50 evaluations, against GD at 0.1.
mlp_late() {
  local train=$out/data/fm${n_mlp}_train_pca.h5 test=$out/data/fm${n_mlp}_test_pca.h5 stage=$out/mlp_gd_track_acc0.80.h5
  [ -f "$stage" ] || { echo "mlp_late: no 80 % snapshot in $out (run 'stages' first)"; return; }
  local common=(-options_file runs/fmnist_mlp_stages.opts -data_file "$train" -model_start "$stage" -quiet
    -opt_max_it $late_its -track_test "$test")
  echo "== MLP later stage: MrGD vs GD from the 80 % snapshot ($late_its evaluations)"
  msopt_run train "${common[@]}" -history_out "$out/mlp_late_gd.h5" | grep -E "^train: [a-z_]+:"
  msopt_run train "${common[@]}" -opt_type mrgd -spec_method largest -spec_nev 20 -mrgd_refresh 50 \
    -history_out "$out/mlp_late_mrgd.h5" | grep -E "^train: [a-z_]+:|schedule rebuilt"
}

softmax() {
  aligned $n_train
  local train=$out/data/fm${n_train}_train_pca.h5
  run() {  # run NAME OPTIONS...
    local name=$1
    shift
    msopt_run train -options_file runs/fmnist_softmax.opts -data_file "$train" -opt_max_it $sm_its -quiet \
      -history_out "$out/softmax_$name.h5" "$@" | grep -E "^train: [a-z_]+:"
  }
  echo "== softmax regression ($n_train samples, $sm_its gradient evaluations each)"
  for lr in 0.5 1 1.5 2; do run gd_$lr -opt_type gd -opt_lr $lr; done
  for lr in 0.25 0.5; do
    run heavyball_$lr -opt_type heavyball -opt_lr $lr -opt_momentum 0.9
    run nesterov_$lr -opt_type nesterov -opt_lr $lr -opt_momentum 0.9
  done
  for lr in 0.003 0.01 0.03; do run adam_$lr -opt_type adam -opt_lr $lr; done
  run lbfgs -opt_type lbfgs
  # Theorem 3.4's schedule: its first cycle (37,499 steps) outlasts the run, so it is never rebuilt.
  run mrgd -opt_type mrgd
  # The spectrum has no gaps: Chebyshev cycles on its top [lambda_max / kappa, lambda_max], for three kappa,
  # and at kappa = 300 rebuilt at the current point every 200 evaluations. lambda_max is the whole
  # Hessian's (SLEPc): the class blocks' can be up to 2x lower, and above its interval a cycle amplifies.
  local cheb=(-opt_type mrgd -mrgd_schedule chebyshev -spec_hessian full -spec_method largest -spec_nev 1)
  for kappa in 100 300 1000; do run mrgd_chebyshev_$kappa "${cheb[@]}" -mrgd_kappa $kappa; done
  run mrgd_chebyshev_refresh_300 "${cheb[@]}" -mrgd_kappa 300 -mrgd_refresh 200
  # Chebyshev nodes on every scale group of the Hessian's top 120 eigenvalues (SLEPc), rebuilt every 200
  # evaluations at the current point (issue 12: the multirate Chebyshev schedule on a nonlinear loss).
  run mrgd_groups_chebyshev_refresh -opt_type mrgd -mrgd_schedule groups_chebyshev -spec_hessian full \
    -spec_method largest -spec_nev 120 -mrgd_refresh 200
}

eos() {
  aligned $n_eos
  # runs/fmnist_eos.opts: 784-64-64-1 tanh MLP, squared loss; at eta = 0.05 the sharpness starts at 0.8 * 2/eta.
  local train=$out/data/fm${n_eos}_train_pca.h5 eta=0.05
  echo "== edge of stability ($n_eos samples, GD at eta = $eta, $eos_its steps, sharpness every $eos_every)"
  msopt_run train -options_file runs/fmnist_eos.opts -data_file "$train" -opt_lr $eta -opt_max_it $eos_its \
    -track_every $eos_every -progress_seconds 60 -checkpoint_every 500 -checkpoint_keep 1 -checkpoint_file "$out/eos_ck.h5" \
    -history_out "$out/eos_gd.h5" | grep -E "^train:"
  # The gradient-direction landscape at the last iterate (Fig. 3.1).
  msopt_run slice -options_file runs/fmnist_eos.opts -data_file "$train" -model_start "$out/eos_gd.h5" \
    -slice_radius 0.5 -slice_points 101 -slice_out "$out/eos_slice.h5" | grep "^slice: gradient"
}

case $what in
  stages) stages ;;
  mlp_late) mlp_late ;;
  softmax) softmax ;;
  eos) eos ;;
  all) stages; mlp_late; softmax; eos ;;
  *) echo "usage: $0 [all|stages|mlp_late|softmax|eos] [OUT]" >&2; exit 2 ;;
esac
/usr/bin/python3 scripts/plot_fashion_mnist.py "$out"
