#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm round-trip test (no systemd needed):
#   scripts/slurm-local.sh up     installs slurmctld/slurmd/slurm-client/munge if missing (root + apt),
#                                 starts munged, slurmctld and slurmd, waits until the node is idle,
#                                 prints the slurm.conf path (export it as SLURM_CONF)
#   scripts/slurm-local.sh down   stops the daemons it started
# State, logs and the config live in $SCULPT_SLURM_DIR (default /tmp/sculpt-slurm).
set -euo pipefail
DIR=${SCULPT_SLURM_DIR:-/tmp/sculpt-slurm}
CONF=$DIR/slurm.conf

down() {
  for p in slurmd slurmctld munged; do
    if [ -f "$DIR/$p.pid" ]; then kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true; rm -f "$DIR/$p.pid"; fi
  done
}

up() {
  local need=""
  for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q "install ok installed" || need="$need $p"
  done
  if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing:$need" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null; }
    else
      echo "slurm-local: missing packages:$need (install them as root: apt-get install$need)" >&2; exit 3
    fi
  fi
  down
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  local host cpus mem
  host=$(hostname -s); cpus=$(nproc)
  mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
  cat > "$CONF" <<CONF
ClusterName=sculpt-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.slurm.pid
SlurmdPidFile=$DIR/slurmd.slurm.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
NodeName=$host CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  mkdir -p /run/munge && chown munge:munge /run/munge
  su -s /bin/sh munge -c "/usr/sbin/munged --pid-file=/run/munge/munged.pid" 2>/dev/null || true
  sleep 0.3
  cat /run/munge/munged.pid > "$DIR/munged.pid" 2>/dev/null || true
  export SLURM_CONF=$CONF
  /usr/sbin/slurmctld -D -c -f "$CONF" > "$DIR/log/slurmctld.out" 2>&1 & echo $! > "$DIR/slurmctld.pid"
  /usr/sbin/slurmd -D -c -f "$CONF" > "$DIR/log/slurmd.out" 2>&1 & echo $! > "$DIR/slurmd.pid"
  for _ in $(seq 1 100); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then echo "$CONF"; return 0; fi
    sleep 0.2
  done
  echo "slurm-local: the node did not become idle; logs in $DIR/log" >&2
  tail -5 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 2>/dev/null || true
  down; exit 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
