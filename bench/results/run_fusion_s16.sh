#!/usr/bin/env bash
# Session 16: the fusion candidate V (rrf_k 20, dense weight 0.5, 50 candidates) against the shipped
# fusion, end to end on news dev-tune (rule: bench/results/fusion_rule2_s16.txt); with "test" as $1,
# the test half too. Run from the repository root of main; nothing else running.
set -u
O=$PWD/bench/out/s16
. bench/results/session_runs.sh
split=${1:-dev-tune}
run() {  # tag, extra flags
  echo "== news $split $1 $(date -u +%T)"
  $PY -m bench.eval_news --articles "$A" --questions "$Q" --index "$I" --reader learned --question-date \
    --min-score 0 --sweep --split "$split" --out "$O/news_${split}_$1.jsonl" --evidence "$O/evidence_${split}_$1.jsonl" \
    "${@:2}" 2>/dev/null | tail -1 > "$O/news_${split}_$1.json"
}
run shipped
run fusionV --rrf-k 20 --dense-weight 0.5 --candidates 50
echo "== done $(date -u +%T)"
