# Session 21: held-out confirmation of the two span changes (rule: bench/results/spans_confirm_rule_s21.txt).
# Trees: /tmp/s21/qt_base (87d5715, before both) and /tmp/s21/cf_after (main with both), git worktrees.
O=$PWD/bench/out/s21
source bench/results/session_runs.sh
M=$PWD/bench/out/mini21t
for tree in qt_base cf_after; do
  echo "== news test $tree $(date -u +%T)"
  (cd /tmp/s21/$tree && $PY -m bench.eval_news --articles "$M/articles.jsonl" --questions "$Q" --index "$M/index" \
    --reader learned --question-date --split test --limit 300 --out "$O/confirm_news_$tree.jsonl" 2>/dev/null | tail -1)
done
echo "== done $(date -u +%T)"
