#!/usr/bin/env bash
# Session 20: URL-escape decoding (f679f53's decode_escapes) re-measured with a paired control, on a
# mini archive whose dense search is exact (1,390 articles); rule bench/results/url_escapes_rule_s20.txt. Needs
# bench/out/s20/idx_old, built from bench/out/s20/mini_esc.jsonl with main's code (2f533d3), and two
# worktrees: OLD at 2f533d3 and NEW with the change. Arm B is a copy of A updated with NEW's cleaning.
# Run from the repository root; nothing else running.
set -u
O=$PWD/bench/out/s20
. bench/results/session_runs.sh
OLD=${OLD:-/tmp/s20old}
NEW=${NEW:-/tmp/s20new}
M=$O/mini_esc.jsonl
QE=$O/questions_escaped.jsonl
run() {  # tree index questions split limit tag
  echo "== news $6 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$M" --questions "$3" --index "$2" --reader learned \
    --question-date --min-score 0 --sweep --split "$4" ${5:+--limit "$5"} --out "$O/news_$6.jsonl" \
    --evidence "$O/evidence_$6.jsonl" 2>/dev/null | tail -1 > "$O/news_$6.json")
}
rm -rf "$O/idx_new" && cp -r "$O/idx_old" "$O/idx_new"
echo "== index add (new cleaning) $(date -u +%T)"
(cd "$NEW" && $PY -m qa index add "$M" --index "$O/idx_new" 2>&1 | tail -3)
echo "== index compact $(date -u +%T)"
(cd "$NEW" && $PY -m qa index compact --index "$O/idx_new" 2>&1 | tail -2)
run "$OLD" "$O/idx_old" "$QE" all "" esc_old
run "$OLD" "$O/idx_new" "$QE" all "" esc_new
echo "== done $(date -u +%T)"
