#!/usr/bin/env bash
# The timing benchmarks, one at a time on an otherwise idle machine (issue 31's grading, executor,
# load and frontier numbers, then the README's first run): each measures wall time side by side in
# one run, so nothing else may run beside it. Needs runs/evalplus-venv with evalplus==0.3.1:
#     python3 -m venv runs/evalplus-venv && runs/evalplus-venv/bin/pip install evalplus==0.3.1
#     nohup bench/idle_runs.sh > runs/idle_runs.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
step() { echo "== $(date -u +%H:%M:%S) $* (load $(cut -d' ' -f1 /proc/loadavg))"; "$@"; }

step $py bench/grading.py
step $py bench/executor_throughput.py
step $py bench/grading_load.py
step $py bench/pareto.py bench/data/pools/humanevalplus.jsonl.gz
step $py bench/pareto.py bench/data/pools/mbppplus.jsonl.gz
step $py bench/first_run.py --repeat 2
echo "== $(date -u +%H:%M:%S) done"
