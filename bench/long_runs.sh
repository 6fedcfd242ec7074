#!/usr/bin/env bash
# The long model runs: the pools and their frontiers first (issue 5 needs only those), then S*'s variants run,
# which reuses the pools' first 8 samples per problem as its round-0 candidates, the shipped S* on dev
# and on test, then the debug-request variants on S*'s problems. Every step resumes
# from its files, so after an interruption run this again: finished steps cost seconds.
# Run it alone (llama.cpp's threads slow to a crawl beside other CPU work) and commit as it goes:
#     nohup bench/long_runs.sh > runs/long_runs.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
mkdir -p runs

pareto() {  # the frontier of a finished pool, unless its results are newer than the pool and the code
    local pool=bench/data/pools/$1.jsonl.gz out=bench/results/pareto_$1.json
    if [ "$out" -nt "$pool" ] && [ -z "$(find src/codesieve -name '*.py' -newer "$out")" ]; then return; fi
    $py bench/pareto.py "$pool"
}

$py bench/make_pools.py --benchmark humaneval+ -n 16
$py bench/make_pools.py --benchmark mbpp+ --sample 100 -n 16
pareto mbppplus
pareto humanevalplus
$py bench/sstar_accuracy.py --run committed  # the variants run (replayed from its committed answers)
$py bench/sstar_accuracy.py --run reruns --benchmarks humaneval+,mbpp+
$py bench/sstar_accuracy.py --zero-shot-model qwen2.5-coder-1.5b  # what codesieve run ships, on dev
# what codesieve run ships, on test; then the same with the 1.5B judging (give --report the same options)
$py bench/sstar_heldout.py --zero-shot-model qwen2.5-coder-1.5b --judge-model qwen2.5-coder-1.5b
$py bench/debug_variants.py --ngram-draft  # on S*'s HumanEval+ problems with a failing sample
