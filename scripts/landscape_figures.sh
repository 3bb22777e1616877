#!/usr/bin/env bash
# The landscape paper's toy-landscape figures (Figs. 2.1, 3.2 right, 4.1, 4.2,
# 5.1, 6.1), one `msopt landscape` run per curve, then scripts/plot_landscape.py
# draws one PNG per figure. Writes only under OUT (default results/landscape).
#   MSOPT_SCALE=reduced  (default) the paper's step counts, 201-point loss grids: about 15 s on 2 cores
#   MSOPT_SCALE=full     longer flattening-valley run (20,000 steps), 401-point grids: about 20 s
# The toy landscapes are replicated on every rank: one rank is enough.
# Usage: [MSOPT_SCALE=full] scripts/landscape_figures.sh [OUT]
set -euo pipefail
source "$(dirname "$0")/env.sh"
out=${1:-$MSOPT_ROOT/results/landscape}
scale=${MSOPT_SCALE:-reduced}
case $scale in
  reduced) grid=201 valley_steps=3000 ;;
  full) grid=401 valley_steps=20000 ;;
  *) echo "landscape_figures: MSOPT_SCALE must be full or reduced, not '$scale'" >&2; exit 2 ;;
esac
mkdir -p "$out"
start=$(date +%s)
run() {  # run NAME WHAT OPTIONS...: one trajectory into OUT/NAME.h5, its summary lines shown
  local name=$1 what=$2
  shift 2
  echo "[$(($(date +%s) - start)) s] $name: $what"
  mpiexec -n 1 --bind-to none "$MSOPT_BIN" landscape -landscape_grid_points "$grid" -landscape_out "$out/$name.h5" \
    "$@" | grep -v "^landscape: wrote" | sed 's/^/    /'
}

echo "== Fig. 4.1: GD on the subquadratic f1, f2, f3 with the paper's rate drops"
run fig4_1_f1 "f1, x0 = -5, rate 5 -> 3 -> 1 at steps 100, 150" -landscape_model f1
run fig4_1_f2 "f2 = eq. (6.2), C = 3, x0 = -5, rate 2 -> 0.5 -> 0.2 at 500, 700" -landscape_model f2
run fig4_1_f3 "f3, x0 = (-3, 3), rate 1 -> 0.3 -> 0.1 at 200, 400" -landscape_model f3
run fig4_1_quadratic "the quadratic x^2/2 at rate 2.5 (> 2/f''(0)): diverges" -landscape_model quadratic \
  -landscape_lr 2.5 -landscape_steps 60

echo "== Fig. 4.2: the flattening valley f1(x2 / (1 + 0.01 x1)), rate 3, GD and the quasistatic dynamics (4.8)"
run fig4_2_valley "valley, x0 = (1, 1), $valley_steps steps" -landscape_model valley -landscape_steps "$valley_steps"

echo "== Fig. 5.1 and Fig. 2.1 right: two valleys, rate 2.5 dropped to 0.25 at step 650, 700 or 750"
for d in 650 700 750; do
  run fig5_1_decay$d "two_valley, drop at $d, 500 steps after" -landscape_model two_valley \
    -landscape_lr 2.5,0.25 -landscape_lr_steps $d -landscape_steps $((d + 500))
done
run fig2_1_constant "two_valley at rate 2.5 throughout (no decay)" -landscape_model two_valley -landscape_lr 2.5 \
  -landscape_steps 1250
run fig2_1_small "two_valley at rate 0.25 throughout (decayed from the start)" -landscape_model two_valley \
  -landscape_lr 0.25 -landscape_steps 1250
run fig2_1_step "two_valley, step schedule: 2.5, x0.1 at 750" -landscape_model two_valley -landscape_schedule step \
  -landscape_lr 2.5 -landscape_lr_steps 750 -landscape_steps 1250
for kind in cosine linear; do
  run fig2_1_$kind "two_valley, $kind schedule from 2.5 to 0.25 at step 1250" -landscape_model two_valley \
    -landscape_schedule $kind -landscape_lr 2.5 -landscape_lr_final 0.25 -landscape_steps 1250
done

echo "== Fig. 2.1 left (toy): edge of stability"
run fig2_1_eos_f1 "f1 from x0 = -50 at rate 3" -landscape_model f1 -landscape_x0 -50 -landscape_lr 3 \
  -landscape_steps 60
run fig2_1_eos_two_valley "two_valley at rate 2.5" -landscape_model two_valley -landscape_lr 2.5 -landscape_steps 1500

echo "== Fig. 6.1: the 3-neuron ReLU model (6.1): three data 1, 10, 100 and the population loss (6.2); 2-D valleys"
grid=2001 run fig6_1_relu3 "relu3, data 1,10,100, rate 0.05" -landscape_model relu3 -landscape_inputs 1,10,100 \
  -landscape_lr 0.05 -landscape_box -1.5,1.5
grid=2001 run fig6_1_population "f2 = eq. (6.2), C = 3" -landscape_model f2 -landscape_lr 0.1 -landscape_steps 100 \
  -landscape_box -1.5,1.5
run fig6_1_valleys2d "valleys2d, C = 3 and 30" -landscape_model valleys2d

echo "[$(($(date +%s) - start)) s] plotting"
/usr/bin/python3 "$MSOPT_ROOT/scripts/plot_landscape.py" "$out"
echo "[$(($(date +%s) - start)) s] done: $out"
