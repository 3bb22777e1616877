#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine, for trying job scripts and
# for tests. Run as root; needs only the Debian packages slurm-wlm and munge.
#
#   scripts/slurm_local.sh start DIR    start munged, slurmctld, slurmd; wait until
#                                       the node is idle; print `export SLURM_CONF=...`
#   scripts/slurm_local.sh status DIR   daemons and sinfo; exit 0 when all run
#   scripts/slurm_local.sh stop DIR     cancel jobs, stop the daemons by their pid files
#
# Everything lives in DIR: the munge key (1024 random bytes, owner munge, mode
# 400), munge's socket, pid, log and seed, slurm.conf, Slurm's state, spool,
# pid and log files. Nothing under /etc, /run or /var is used, so several
# clusters (other DIRs) can run side by side. munged runs as user munge and
# requires DIR and every directory above it to be searchable by all (DIR is
# made mode 711; a parent that is not is an error). The node is `hostname -s`
# with address 127.0.0.1; the ports are free ones picked at each start
# (SLURM_LOCAL_PORT=P asks for P and P+1). Commands are idempotent: start on a
# running cluster only waits for it, stop on a stopped one does nothing.
# Without accounting there is no sacct: use `scontrol show job ID`.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|status DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
case $action in start | stop | status) ;; *) usage ;; esac
if [ ! -d "$2" ]; then
  [ "$action" = start ] || {
    echo "slurm_local: no cluster in $2" >&2
    [ "$action" = stop ]
    exit
  }
  mkdir -p "$2"
fi
DIR=$(cd "$2" && pwd)
CONF=$DIR/slurm.conf
MUNGE_DIR=$DIR/munge
SOCKET=$MUNGE_DIR/munge.socket
NODE=$(hostname -s)
export SLURM_CONF=$CONF
START_TIMEOUT=${SLURM_LOCAL_TIMEOUT:-60}

say() { echo "slurm_local: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# pid_of PIDFILE: the number in PIDFILE (empty when there is none).
pid_of() { [ -s "$1" ] && tr -dc 0-9 2>/dev/null <"$1" || true; }

# running PID NAME: process PID runs and is called NAME (a zombie counts as
# gone; the name check keeps a stale pid file from naming someone else's process).
running() {
  local state
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# alive NAME PIDFILE: daemon NAME with the pid in PIDFILE runs.
alive() { running "$(pid_of "$2")" "$1"; }

# halt NAME PIDFILE: SIGTERM, wait up to 15 s, then SIGKILL.
halt() {
  local name=$1 pid i
  pid=$(pid_of "$2")
  if running "$pid" "$name"; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      running "$pid" "$name" || break
      sleep 0.1
    done
    if running "$pid" "$name"; then
      say "$name (pid $pid) ignored SIGTERM; killing it"
      kill -9 "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$2"
}

node_state() { sinfo -h -n "$NODE" -o %T 2>/dev/null | sed -n 1p; }

# free_ports: two consecutive TCP ports nobody listens on (from /proc/net/tcp*).
free_ports() {
  local used p tries
  used=" "
  for p in $(awk 'FNR > 1 && $4 == "0A" { n = split($2, a, ":"); print a[n] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    used+="$((16#$p)) "
  done
  if [ -n "${SLURM_LOCAL_PORT:-}" ]; then
    echo "$SLURM_LOCAL_PORT $((SLURM_LOCAL_PORT + 1))"
    return
  fi
  for ((tries = 0; tries < 200; tries++)); do
    p=$((20000 + RANDOM % 20000))
    [[ $used == *" $p "* || $used == *" $((p + 1)) "* ]] || {
      echo "$p $((p + 1))"
      return
    }
  done
  die "no free TCP port pair found"
}

write_conf() {
  local ports cpus
  read -r -a ports <<<"$(free_ports)"
  cpus=$(nproc)
  cat >"$CONF" <<EOF
# Single-node SLURM written by scripts/slurm_local.sh; everything in $DIR.
ClusterName=msoptlocal
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
InactiveLimit=0
KillWait=5
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=$cpus RealMemory=256 State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  alive munged "$MUNGE_DIR/munged.pid" && return
  id munge >/dev/null 2>&1 || die "no user munge (apt-get install munge)"
  # munged insists that every directory above its socket is searchable by all.
  chmod 711 "$DIR"
  local d=$DIR
  while d=$(dirname "$d") && [ "$d" != / ]; do
    [ "$(($(stat -c %#a "$d") & 1))" -eq 1 ] ||
      die "munged needs every directory above $DIR searchable by all, $d is not (chmod o+x $d, or use a DIR under /tmp)"
  done
  mkdir -p "$MUNGE_DIR"
  chown munge:munge "$MUNGE_DIR"
  chmod 755 "$MUNGE_DIR"
  if [ ! -s "$MUNGE_DIR/munge.key" ]; then
    (umask 077 && head -c 1024 /dev/urandom >"$MUNGE_DIR/munge.key")
  fi
  chown munge:munge "$MUNGE_DIR/munge.key"
  chmod 400 "$MUNGE_DIR/munge.key"
  rm -f "$SOCKET" "$SOCKET.lock"
  runuser -u munge -- munged --key-file="$MUNGE_DIR/munge.key" --socket="$SOCKET" \
    --pid-file="$MUNGE_DIR/munged.pid" --log-file="$MUNGE_DIR/munged.log" \
    --seed-file="$MUNGE_DIR/munged.seed" ||
    die "munged did not start; $(tail -n 3 "$MUNGE_DIR/munged.log" 2>/dev/null)"
  local i
  for ((i = 0; i < 50; i++)); do
    munge -n -S "$SOCKET" 2>/dev/null | unmunge -S "$SOCKET" >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n -S "$SOCKET" | unmunge -S "$SOCKET" >/dev/null || die "munge credentials do not round-trip"
  say "munged running (pid $(cat "$MUNGE_DIR/munged.pid"))"
}

do_start() {
  local missing=() p
  for p in munged munge unmunge slurmctld slurmd sinfo; do
    command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: apt-get install slurm-wlm munge"
  export PATH=$PATH:/usr/sbin
  [ "$(id -u)" -eq 0 ] || die "run as root"

  if alive munged "$MUNGE_DIR/munged.pid" && alive slurmctld "$DIR/run/slurmctld.pid" && alive slurmd "$DIR/run/slurmd.pid"; then
    say "already running in $DIR"
  else
    do_stop 2>/dev/null # whatever half of a cluster is left
    mkdir -p "$DIR/state" "$DIR/spool" "$DIR/run" "$DIR/log"
    start_munge
    write_conf
    slurmctld -f "$CONF" || die "slurmctld did not start; $(tail -n 5 "$DIR/log/slurmctld.log" 2>/dev/null)"
    slurmd -f "$CONF" -N "$NODE" || die "slurmd did not start; $(tail -n 5 "$DIR/log/slurmd.log" 2>/dev/null)"
  fi
  local t0=$SECONDS state=
  while ((SECONDS - t0 < START_TIMEOUT)); do
    state=$(node_state)
    case $state in
      idle* | mix* | alloc*) break ;;
      down* | drain* | fail*) # an earlier run left the node down: resume it
        scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
  done
  case $state in
    idle* | mix* | alloc*) ;;
    *)
      say "node $NODE is '${state:-unknown}' after ${START_TIMEOUT} s; slurmctld.log and slurmd.log end with:"
      tail -n 8 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 2>/dev/null || true
      do_stop
      exit 1
      ;;
  esac
  say "node $NODE is $state (ports $(grep -E '^Slurm(ctld|d)Port=' "$CONF" | cut -d= -f2 | paste -sd/))"
  echo "export SLURM_CONF=$CONF"
}

do_stop() {
  local i
  if [ -s "$CONF" ] && alive slurmctld "$DIR/run/slurmctld.pid"; then
    # Cancel jobs first so that slurmd ends their steps (no stray slurmstepd).
    if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
      squeue -h -o %i | xargs -r scancel 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do
        [ -z "$(squeue -h -t running,completing -o %i 2>/dev/null)" ] && break
        sleep 0.2
      done
    fi
  fi
  halt slurmd "$DIR/run/slurmd.pid"
  halt slurmctld "$DIR/run/slurmctld.pid"
  halt munged "$MUNGE_DIR/munged.pid"
}

do_status() {
  local ok=0 name pidfile
  for name in munged slurmctld slurmd; do
    pidfile=$DIR/run/$name.pid
    [ $name = munged ] && pidfile=$MUNGE_DIR/munged.pid
    if alive $name "$pidfile"; then
      echo "$name: running (pid $(pid_of "$pidfile"))"
    else
      echo "$name: stopped"
      ok=1
    fi
  done
  if [ $ok -eq 0 ]; then
    sinfo
    echo "export SLURM_CONF=$CONF"
  fi
  return $ok
}

case $action in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
esac
