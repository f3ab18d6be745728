# Session 26, arm L3 (bench/results/place_led_rule_s26.txt, addendum 3): the place leads a name (worktree
# /tmp/s26/L3), run after run_leading_word2_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
heldout() {  # tree tag: test questions 300-899 over mini25t
  echo "== news heldout $2 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
    --split test --limit 600 --out "$O/news_heldout_$2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$2.json")
}
mini_news /tmp/s26/L3 mini21 dev-tune place_led_L3
mini_news /tmp/s26/L3 mini22 dev-train place_led_L3
mini_news /tmp/s26/L3 mini21t test place_led_L3
heldout /tmp/s26/L3 place_led_L3
squad /tmp/s26/L3 v1.1 place_led_L3
echo "== done $(date -u +%T)"
