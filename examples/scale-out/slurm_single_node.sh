#!/bin/bash
# Starts a one-node Slurm cluster on this machine (Debian's slurm-wlm, as root), so that the array
# script can be tested for real: ./dev test runs it before the interop checks. Does nothing when a
# cluster already answers, and never touches an /etc/slurm/slurm.conf it did not write (one it wrote
# carries its first-line comment, and a copy left behind by a machine restart is replaced). ~5 s.
# `slurm_single_node.sh stop` stops the daemons this script started and removes the slurm.conf it wrote
# (./dev test calls it when the tests end), leaving a cluster it did not start alone.
set -euo pipefail
marker=/run/cococonvert-slurm-single-node
if [ "${1:-}" = stop ]; then
    [ -f "$marker" ] || exit 0
    for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    grep -qx munged "$marker" && [ -s /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
    rm -f /etc/slurm/slurm.conf "$marker"
    exit 0
fi
command -v slurmctld >/dev/null || { echo "slurm-wlm is not installed" >&2; exit 1; }
sinfo >/dev/null 2>&1 && exit 0
[ "$(id -u)" = 0 ] || { echo "starting slurm needs root" >&2; exit 1; }
signature="# Written by cococonvert's examples/scale-out/slurm_single_node.sh; its 'stop' removes it."
if [ -s /etc/slurm/slurm.conf ] && [ "$(head -n 1 /etc/slurm/slurm.conf)" != "$signature" ]; then
    echo "/etc/slurm/slurm.conf exists (not written by this script) but no cluster answers; not touching it" >&2
    exit 1
fi
host=$(hostname -s)
cpus=$(nproc)
mkdir -p /etc/slurm /var/lib/slurm/slurmd /var/lib/slurm/single-node-state /var/log/slurm /run/munge
cat > /etc/slurm/slurm.conf <<CONF
$signature
ClusterName=single
SlurmctldHost=$host
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmUser=root
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/lib/slurm/slurmd
StateSaveLocation=/var/lib/slurm/single-node-state
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AuthType=auth/munge
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
chown munge:munge /run/munge 2>/dev/null || true
echo slurm > "$marker"
[ -S /run/munge/munge.socket.2 ] || { munged --force && echo munged >> "$marker"; }
slurmctld || { echo "slurmctld did not start (see /var/log/slurm/slurmctld.log)" >&2; exit 1; }
slurmd || { echo "slurmd did not start (see /var/log/slurm/slurmd.log)" >&2; exit 1; }
for _ in $(seq 1 30); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && exit 0
    sleep 1
done
echo "the single-node Slurm cluster did not come up (see /var/log/slurm/)" >&2
exit 1
