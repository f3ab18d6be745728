# Session 26, arm E2 (bench/results/leading_word_rule_s26.txt, addendum 1): the word repeats the question (worktree
# /tmp/s26/E2), run after run_place_led2_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
heldout() {  # tree tag: test questions 300-899 over mini25t
  echo "== news heldout $2 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
    --split test --limit 600 --out "$O/news_heldout_$2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$2.json")
}
mini_news /tmp/s26/E2 mini21 dev-tune leading_word_E2
mini_news /tmp/s26/E2 mini22 dev-train leading_word_E2
mini_news /tmp/s26/E2 mini21t test leading_word_E2
heldout /tmp/s26/E2 leading_word_E2
squad /tmp/s26/E2 v1.1 leading_word_E2
echo "== done $(date -u +%T)"
