#!/usr/bin/env bash
# Session 12: the int8 operating-point rule (bench/results/int8_operating_point_rule_s12.txt), full archive.
set -u
export HF_HUB_OFFLINE=1
PY=.venv/bin/python
Q=../shared/data/realtimeqa/questions-2022-2024.jsonl
A=../shared/data/realtimeqa/articles-2022-2024.jsonl.gz
I=bench/out/rtqa-index
O=bench/out/s12
S=../shared/data/squad
news() {  # split precision runtime tag
  echo "== news $1 $2 $3 $(date -u +%T)"
  $PY -m bench.eval_news --articles $A --questions $Q --index $I --reader learned --question-date --min-score 0 --sweep \
    --split $1 --precision $2 --runtime $3 --out $O/news_$1_$4.jsonl --evidence $O/evidence_$1_$4.jsonl \
    2>/dev/null | tail -1 > $O/news_$1_$4.json
  head -c 400 $O/news_$1_$4.json; echo
}
news dev-tune bf16 torch bf16
news dev-tune int8 onnx int8shared
echo "== fit_offset $(date -u +%T)"
$PY -m bench.fit_offset --arithmetic onnx-int8w7 --evidence $O/evidence_dev-tune_int8shared.jsonl \
  --match $O/evidence_dev-tune_bf16.jsonl --write --out $O/fit_offset.json | head -c 1500; echo
news test int8 onnx int8own
squad() {  # data precision runtime tag
  echo "== squad $1 $4 $(date -u +%T)"
  $PY -m bench.eval_squad --reader learned --data $S/dev-$1-a.json.gz --precision $2 --runtime $3 \
    --out $O/squad_$1_$4.json 2>/dev/null | tail -1 > $O/squad_$1_$4.summary.json
  cat $O/squad_$1_$4.summary.json
}
squad v2.0 int8 onnx int8own
squad v1.1 int8 onnx int8own
news test bf16 torch bf16
for v in "bf16 torch" "int8 onnx"; do
  set -- $v
  echo "== query $1 $(date -u +%T)"
  $PY -m bench.query --index $I --questions 100 --http-requests 60 --precision $1 --runtime $2 \
    --out $O/query_$1.json 2>&1 | tail -3
done
squad v2.0 bf16 torch bf16
squad v1.1 bf16 torch bf16
echo "== done $(date -u +%T)"
