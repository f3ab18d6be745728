# Session 21: quoted titles for questions that ask for a thing (rule: bench/results/typed_titles_rule_s21.txt).
# Trees: /tmp/s21/tt_base (main with the revert) and /tmp/s21/tt_after (the change), git worktrees.
O=$PWD/bench/out/s21
source bench/results/session_runs.sh
for arch in mini21:dev-tune mini21t:test; do
  M=$PWD/bench/out/${arch%%:*}; split=${arch##*:}
  for tag in base after; do
    echo "== news $split $tag $(date -u +%T)"
    (cd /tmp/s21/tt_$tag && $PY -m bench.eval_news --articles "$M/articles.jsonl" --questions "$Q" --index "$M/index" \
      --reader learned --question-date --split "$split" --limit 300 --out "$O/tt_news_${split}_$tag.jsonl" \
      2>/dev/null | tail -1)
  done
done
for tag in base after; do
  echo "== squad $tag $(date -u +%T)"
  (cd /tmp/s21/tt_$tag && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" \
    --out "$O/tt_squad_$tag.json" 2>/dev/null | tail -1)
done
echo "== done $(date -u +%T)"
