#!/usr/bin/env bash
# scripts/landscape_figures.sh as a user runs it (reduced): progress lines, one
# PNG per figure of the landscape paper, and nothing written outside OUT.
source "$(dirname "$0")/cli_lib.sh" "$@"
mkdir run_here
(cd run_here && MSOPT_BIN=$MSOPT timeout 300 bash "$SRC/scripts/landscape_figures.sh" "$WORK/figs") >out.txt 2>&1 ||
  fail "scripts/landscape_figures.sh"
for f in fig2_1_eos fig2_1_lr_decay fig3_2_trajectory_pca fig4_1_subquadratic_gd fig4_2_flattening_valley \
  fig5_1_two_valley_lr_decay fig6_1_relu3_landscapes; do
  [ -s "figs/$f.png" ] && pass "wrote $f.png" || fail "wrote $f.png"
done
[ "$(grep -c '^\[[0-9]* s\] ' out.txt)" -ge 15 ] && pass "progress lines" || fail "progress lines"
[ -z "$(ls -A run_here)" ] && [ -z "$(find figs -name '*.lock' -o -name '*.tmp')" ] &&
  pass "nothing written outside OUT, no lock or temporary left" || fail "nothing written outside OUT"
finish
