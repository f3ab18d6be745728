#!/usr/bin/env bash
# Session 20: single curly quotes at reader-span edges (branch s20-quotes, worktree NEW); rule
# bench/results/single_quotes_rule_s20.txt. SQuAD v1.1 and v2.0 dev half A with the old code (OLD, main
# 2f533d3) and the new, then news: the 151 questions of bench/out/s20/questions_escaped.jsonl on
# bench/out/s20/idx_old with the new code (the old code's run on it is run_escapes_s20.sh's esc_old).
# Run from the repository root.
set -u
O=$PWD/bench/out/s20
. bench/results/session_runs.sh
OLD=${OLD:-/tmp/s20old}
NEW=${NEW:-/tmp/s20q}
squad "$OLD" v1.1 old
squad "$NEW" v1.1 quotes
squad "$OLD" v2.0 old
squad "$NEW" v2.0 quotes
until grep -q '^rc=' "$O/build_old.log" 2>/dev/null; do sleep 30; done  # the control index
echo "== news esc_quotes $(date -u +%T)"
(cd "$NEW" && $PY -m bench.eval_news --articles "$O/mini_esc.jsonl" --questions "$O/questions_escaped.jsonl" \
  --index "$O/idx_old" --reader learned --question-date --min-score 0 --sweep --split all \
  --out "$O/news_esc_quotes.jsonl" --evidence "$O/evidence_esc_quotes.jsonl" 2>/dev/null | tail -1 > "$O/news_esc_quotes.json")
echo "== done $(date -u +%T)"
