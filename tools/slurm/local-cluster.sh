#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for tests and for trying `rlreg compare --executor slurm` locally:
#   tools/slurm/local-cluster.sh start    install slurm-wlm and munge if missing, write a one-node config, start munged,
#                                         slurmctld and slurmd without systemd, wait until the node is idle
#   tools/slurm/local-cluster.sh stop     end exactly the daemons that `start` started (by pid), nothing else
#   tools/slurm/local-cluster.sh status   what runs, and sinfo
# Needs root (the daemons run as root, with Debian's packages). No cgroups: containers without systemd cannot use them.
# State (pids, logs, spool) lives in $RLREG_SLURM_STATE (default /var/lib/rlreg-slurm).
set -euo pipefail

state="${RLREG_SLURM_STATE:-/var/lib/rlreg-slurm}"
conf=/etc/slurm/slurm.conf
marker="# written by rlreg tools/slurm/local-cluster.sh"

die() { echo "local-cluster: $*" >&2; exit 1; }

need_root() {
    [ "$(id -u)" = 0 ] || die "needs root: it installs Debian's slurm-wlm and munge and runs their daemons as root (run it with sudo)"
}

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then
        return
    fi
    command -v apt-get >/dev/null || die "slurm-wlm and munge are missing and there is no apt-get to install them"
    echo "local-cluster: installing slurm-wlm and munge" >&2
    # The packages' scripts would start the daemons before a config exists: forbid service starts during the install.
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [ -e "$policy" ] && had_policy=1
    if [ "$had_policy" = 0 ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
    if [ "$had_policy" = 0 ]; then rm -f "$policy"; fi
}

write_config() {
    local host cpus memory
    host="$(hostname -s)"
    cpus="$(nproc)"
    # Slurm refuses a node that claims more memory than it has: leave a tenth to the system.
    memory="$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
    if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
        die "$conf exists and was not written by this script; move it away or use that cluster directly"
    fi
    mkdir -p /etc/slurm "$state/slurmctld" "$state/slurmd" "$state/log"
    cat > "$conf" <<CONF
$marker
ClusterName=rlreg-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/slurmctld
SlurmdSpoolDir=$state/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
KillWait=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# The pid this script recorded for a daemon, if that process is still the daemon (pids are reused).
recorded_pid() {
    local name="$1" file="$state/$1.started" pid
    [ -f "$file" ] || return 1
    pid="$(cat "$file")"
    alive "$pid" || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$name" || return 1
    echo "$pid"
}

start_munge() {
    if recorded_pid munged >/dev/null; then return; fi
    if pgrep -x munged >/dev/null; then echo "local-cluster: using the munged that already runs" >&2; return; fi
    mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
    if [ ! -s /etc/munge/munge.key ]; then
        if command -v mungekey >/dev/null; then mungekey --create --force >/dev/null 2>&1 || mungekey -c -f
        else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; fi
    fi
    chown -R root:root /etc/munge /run/munge /var/lib/munge /var/log/munge
    chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key; chmod 0755 /run/munge
    munged --force --pid-file=/run/munge/munged.pid
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    cat /run/munge/munged.pid > "$state/munged.started"
    munge -n | unmunge >/dev/null || die "munge does not round-trip a credential"
}

start_daemon() {
    local name="$1"
    if recorded_pid "$name" >/dev/null; then return; fi
    if pgrep -x "$name" >/dev/null; then die "a $name that this script did not start is running; stop it first"; fi
    rm -f "$state/$name.pid"
    "$name"  # daemonizes and writes its pid file (SlurmctldPidFile / SlurmdPidFile)
    for _ in $(seq 100); do [ -s "$state/$name.pid" ] && break; sleep 0.1; done
    [ -s "$state/$name.pid" ] || die "$name did not start; see $state/log/$name.log"
    cp "$state/$name.pid" "$state/$name.started"
}

wait_idle() {
    for _ in $(seq 120); do
        if sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle'; then return; fi
        if sinfo -h -o '%t' 2>/dev/null | grep -q 'down\|drain'; then
            scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true
        fi
        sleep 0.5
    done
    die "the node did not become idle within 60 s; sinfo says: $(sinfo -h 2>&1 | head -3)"
}

stop_recorded() {
    local name="$1" pid
    if pid="$(recorded_pid "$name")"; then
        kill "$pid"
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid"
        echo "local-cluster: stopped $name ($pid)" >&2
    fi
    rm -f "$state/$name.started"
}

case "${1:-}" in
    start)
        need_root
        install_packages
        mkdir -p "$state"
        write_config
        start_munge
        start_daemon slurmctld
        start_daemon slurmd
        wait_idle
        echo "local-cluster: up ($(sinfo -h -o '%P %D %t %c CPUs'))"
        ;;
    stop)
        need_root
        stop_recorded slurmd
        stop_recorded slurmctld
        stop_recorded munged
        ;;
    status)
        for name in munged slurmctld slurmd; do
            if pid="$(recorded_pid "$name")"; then echo "$name: running ($pid, started by this script)"
            elif pgrep -x "$name" >/dev/null; then echo "$name: running (not started by this script)"
            else echo "$name: not running"; fi
        done
        command -v sinfo >/dev/null && sinfo 2>&1 || true
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
