# Session 21: leading words (rule: bench/results/leading_words_rule_s21.txt). Trees: /tmp/s21/lw_base (the
# commit before the change) and /tmp/s21/lw_after (the change), git worktrees; run from the repository root.
O=$PWD/bench/out/s21
source bench/results/session_runs.sh
M=$PWD/bench/out/mini21
for tag in base after; do
  echo "== news $tag $(date -u +%T)"
  (cd /tmp/s21/lw_$tag && $PY -m bench.eval_news --articles "$M/articles.jsonl" --questions "$Q" --index "$M/index" \
    --reader learned --question-date --split dev-tune --limit 300 --out "$O/words_news_$tag.jsonl" \
    --evidence "$O/words_ev_$tag.jsonl" 2>/dev/null | tail -1)
done
for tag in base after; do
  echo "== squad $tag $(date -u +%T)"
  (cd /tmp/s21/lw_$tag && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" \
    --out "$O/words_squad_$tag.json" 2>/dev/null | tail -1)
done
echo "== done $(date -u +%T)"
