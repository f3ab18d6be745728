#!/usr/bin/env bash
# Session 16: question latency in process on the 1,500-article mini archive (an exact, flat dense
# index), before (fb15464, /tmp/s16omp-old) and after (/tmp/s16omp-new) one-thread dense search;
# rules reader twice in mirrored order, then the learned reader once each. Nothing else running.
set -u
export HF_HUB_OFFLINE=1
M=/work/main; PY=$M/.venv/bin/python; O=$M/bench/out/s16; I=$M/bench/out/mini/index
run() {  # tag reader n
  echo "== $1 $2 run$3 $(date -u +%T)"
  (cd /tmp/s16omp-$1 && $PY -m bench.query --index "$I" --questions 200 --skip-http --reader "$2" \
    --out "$O/query_omp_$1_$2_run$3.json" > "$O/query_omp_$1_$2_run$3.log" 2>&1)
  tail -c 400 "$O/query_omp_$1_$2_run$3.json"; echo
}
run old rules 1; run new rules 1; run new rules 2; run old rules 2
run old learned 1; run new learned 1
echo "== done $(date -u +%T)"
