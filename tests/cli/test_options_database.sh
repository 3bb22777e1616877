#!/usr/bin/env bash
# Options live in PETSc's options database: each command reads them in one
# PetscOptionsBegin/End section, so -help is PETSc's own listing ("-name <now
# VALUE : formerly DEFAULT>: text (msopt)") under the command's title, with
# every option once, the value given shown as "now", and every name under
# the prefix of the object that owns it.
source "$(dirname "$0")/cli_lib.sh" "$@"

# The prefixes of the options' owners: data, model, spectrum, trainer and optimizers, tracking, MGDL,
# restoration, landscape, evaluation, slices, checkpoints and the run itself.
owners='^-(data_|model|mlp_|spec_|opt_|mrgd_|adam_|track_|mgdl_|msdl_|restore_|tv_|landscape_|eval_|slice_|checkpoint_|timing_|history_out$|restart$|restart_override$|progress_seconds$|quiet$|watchdog_seconds$)'
for cmd in "data multiscale" "data fashion-mnist" "data image" "data pca" "data synthetic" spectrum train \
  evaluate slice mgdl restore landscape; do
  if ! msopt_np 1 $cmd -help; then fail "$cmd -help: exit status"; continue; fi
  names=$(sed -n 's/^  \(-[A-Za-z0-9_]*\) <now .* : formerly .*>: .* (msopt)$/\1/p' out.txt)
  lines=$(grep -c '^  -' out.txt)
  if ! grep -q "^msopt $cmd: " out.txt; then fail "$cmd -help: no section title"
  elif [ -z "$names" ] || [ "$(echo "$names" | wc -l)" -ne "$lines" ]; then fail "$cmd -help: not PETSc's listing"
  elif [ -n "$(echo "$names" | sort | uniq -d)" ]; then fail "$cmd -help: listed twice: $(echo "$names" | sort | uniq -d)"
  elif grep -qvE "$owners" <<<"$names"; then fail "$cmd -help: no owner's prefix: $(grep -vE "$owners" <<<"$names")"
  else pass "$cmd -help: PETSc's listing, $lines options, each once, each under its owner's prefix"; fi
done

# The value given is the one the database holds ("now"), the default is "formerly"; the optimizer's own
# options follow -opt_type.
msopt_np 1 train -help -opt_type gd -opt_lr 0.7
grep -q "^  -opt_lr <now 0.7 : formerly 0>" out.txt && ! grep -q "^  -mrgd_" out.txt &&
  pass "train -help -opt_type gd -opt_lr 0.7: now 0.7, gd's options only" || fail "train -help with values"
msopt_np 1 train -help -opt_type mrgd
grep -q "^  -mrgd_schedule <now theorem34 : formerly theorem34>" out.txt && ! grep -q "^  -adam_" out.txt &&
  pass "train -help -opt_type mrgd: MrGD's options" || fail "train -help -opt_type mrgd"
# The options are read from the database whatever its source: an options file and PETSC_OPTIONS.
printf -- '-opt_lr 0.25\n' >lr.opts
msopt_np 1 train -help -opt_type gd -options_file lr.opts && grep -q "^  -opt_lr <now 0.25 : formerly 0>" out.txt &&
  pass "an options file's value is the database's" || fail "-options_file value"
PETSC_OPTIONS="-opt_momentum 0.5" msopt_np 1 train -help -opt_type heavyball &&
  grep -q "^  -opt_momentum <now 0.5 : formerly 0>" out.txt && pass "PETSC_OPTIONS' value is the database's" ||
  fail "PETSC_OPTIONS value"
finish
