# Session 25: arm P2 on the held-out test questions 300-899 (mini25t), after run_heldout_s25.sh, whose main run
# (tree fc45cc6) it is compared with (grouping rule addendum 1).
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
echo "== news heldout P2 $(date -u +%T)"
(cd /tmp/s25/P2 && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
  --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
  --split test --limit 600 --out "$O/news_heldout_P2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_P2.json")
echo "== done $(date -u +%T)"
