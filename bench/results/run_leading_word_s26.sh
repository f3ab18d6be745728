# Session 26, arm E (bench/results/leading_word_rule_s26.txt): one lowercase word before a name (worktree
# /tmp/s26/E), run after run_place_led_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
heldout() {  # tree tag: test questions 300-899 over mini25t
  echo "== news heldout $2 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
    --split test --limit 600 --out "$O/news_heldout_$2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$2.json")
}
mini_news /tmp/s26/E mini21 dev-tune leading_word_E
mini_news /tmp/s26/E mini22 dev-train leading_word_E
mini_news /tmp/s26/E mini21t test leading_word_E
heldout /tmp/s26/E leading_word_E
squad /tmp/s26/E v1.1 leading_word_E
echo "== done $(date -u +%T)"
