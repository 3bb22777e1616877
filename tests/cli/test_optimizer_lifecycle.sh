#!/usr/bin/env bash
# Every -opt_type goes through one registry and one lifecycle: `msopt train`
# names no optimizer in its code; every method's history counts the starting
# gradient as evaluation 1; `msopt mgdl` runs any stepping method of the
# registry, MrGD with rates from each grade's own Hessian spectrum; `msopt
# restore` takes GD's rate from the spectrum of its TV loss's Hessian.
source "$(dirname "$0")/cli_lib.sh" "$@"

if grep -rn '"cg"\|"lbfgs"\|"chebyshev"\|"ksp_chebyshev"' "$SRC/src/apps"; then fail "src/apps names optimizers"
else pass "src/apps names no optimizer"; fi

opts=$SRC/runs/fig3_two_scale.opts
msopt_np 2 data multiscale -options_file "$opts" -data_n 2000 -data_out d.h5 || fail "data"
types=$(msopt_np 1 train -help && sed -n 's/.*-opt_type <now mrgd : formerly mrgd>:.*(\(.*\)) (msopt)$/\1/p' out.txt | tr '|' ' ')
[ "$(echo $types | wc -w)" -eq 8 ] && pass "train -help lists the 8 registered optimizers: $types" ||
  fail "train -help: -opt_type choices '$types'"
for type in $types; do
  if msopt_np 2 train -options_file "$opts" -data_file d.h5 -opt_type $type -opt_max_it 3000 -opt_tol 1e-6 \
    -history_out h_$type.h5 -quiet; then
    $PY - "h_$type.h5" "h_$type.csv" <<'EOF' && pass "$type: history counts the starting gradient as evaluation 1" ||
import sys, h5py, numpy as np
h = h5py.File(sys.argv[1], "r")
e = h["evaluations"][:]
counting = h.attrs["counting"]
counting = counting.decode() if isinstance(counting, bytes) else counting
assert "starting point's gradient is evaluation 1" in counting, counting
assert e[0] == 1 and np.all(np.diff(e) == 1), e[:5]
csv = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
assert csv[0, 0] == 1 and abs(csv[0, 2] - 1) < 1e-12, csv[0]  # relative residual 1 at the start
EOF
      fail "$type: counting"
  else
    fail "$type: train"
  fi
done

msopt_np 2 data synthetic -data_n 256 -data_out s.h5 || fail "synthetic data"
if msopt_np 2 mgdl -data_file s.h5 -mgdl_grades 1-16-1,16-16-1 -mgdl_activation tanh -opt_type mrgd \
  -spec_floor 1e-1 -mrgd_refresh 20 -opt_max_it 600; then
  grep -q "mrgd (eta chosen automatically" out.txt && grep -q "steps per cycle" out.txt &&
    awk '/grade 1\/2/ { first = $(NF - 2); last = $NF } END { exit !(last + 0 < 0.8 * first) }' out.txt &&
    pass "mgdl -opt_type mrgd: rates from the grade's Hessian spectrum, loss falls" || fail "mgdl mrgd: output"
else
  fail "mgdl -opt_type mrgd"
fi
msopt_np 2 mgdl -data_file s.h5 -mgdl_grades 1-16-1 -opt_max_it 50 && grep -q "gd: rate" out.txt &&
  grep -q "gd, rates from each grade's Hessian spectrum" out.txt &&
  pass "mgdl gd without -opt_lr: the rate from the grade's spectrum" || fail "mgdl gd from the spectrum"
one_error_line() { [ "$(grep -c 'msopt: error:' out.txt)" -eq 1 ] && grep -q "$1" out.txt; }
! msopt_np 2 mgdl -data_file s.h5 -opt_type cg && one_error_line "option -opt_type: unknown value 'cg'" &&
  pass "mgdl -opt_type cg: refused (not a stepping method)" || fail "mgdl -opt_type cg"
$PY -c "import numpy as np, struct, zlib
w = h = 16; rows = b''.join(b'\x00' + bytes((7 * x + 3 * y) % 256 for x in range(w)) for y in range(h))
chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open('img.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))"
msopt_np 2 restore -data_png img.png -opt_type gd -mgdl_grades 2-8-1 -opt_max_it 100 &&
  grep -q "gd, rates from each grade's Hessian spectrum" out.txt && grep -q "gd: rate" out.txt &&
  awk '/^restore: grade 1\/1/ { sub(/;.*/, ""); first = $(NF - 2); last = $NF } END { exit !(last + 0 < 0.5 * first) }' \
    out.txt && pass "restore gd without -opt_lr: the rate from the TV loss's Hessian spectrum, loss falls" ||
  fail "restore gd from the spectrum"
! msopt_np 2 train -options_file "$opts" -data_file d.h5 -opt_type gd -opt_lr -1 &&
  one_error_line "option -opt_lr: must be positive" && pass "set-from-options refuses -opt_lr -1" ||
  fail "train -opt_lr -1"
finish
