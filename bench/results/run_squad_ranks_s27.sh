#!/usr/bin/env bash
# Session 27, arm R (bench/results/squad_ranks_rule_s27.txt): SQuAD v1.1 and v2.0 dev half A at the
# shipped threshold with the given paragraph's retrieval ranks from an index of the file's paragraphs
# (--ranks index, the new default) and unset (--ranks none, the encoding before). Run from the root.
set -euo pipefail
export HF_HUB_OFFLINE=1
PY=${PY:-$PWD/.venv/bin/python}
O=bench/out/s27
S=../shared/data/squad
mkdir -p "$O"
for data in v1.1 v2.0; do
  for ranks in index none; do
    echo "== squad $data $ranks $(date -u +%T)"
    $PY -m bench.eval_squad --reader learned --data "$S/dev-$data-a.json.gz" --ranks "$ranks" --sweep \
      --out "$O/squad_${data}_$ranks.json" --rows "$O/squad_${data}_$ranks.rows.jsonl" \
      2>"$O/squad_${data}_$ranks.log" | tee "$O/squad_${data}_$ranks.sweep.jsonl" | tail -1 \
      > "$O/squad_${data}_$ranks.summary.json"
    cat "$O/squad_${data}_$ranks.summary.json"
  done
done
echo "== done $(date -u +%T)"
