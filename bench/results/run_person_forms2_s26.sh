# Session 26, arm N2 (bench/results/person_forms_rule_s26.txt, addendum 1): every member's form (worktree
# /tmp/s26/N2), run after run_leading_word_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
heldout() {  # tree tag: test questions 300-899 over mini25t
  echo "== news heldout $2 $(date -u +%T)"
  (cd "$1" && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
    --split test --limit 600 --out "$O/news_heldout_$2.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$2.json")
}
mini_news /tmp/s26/N2 mini21 dev-tune persons_N2
mini_news /tmp/s26/N2 mini22 dev-train persons_N2
mini_news /tmp/s26/N2 mini21t test persons_N2
heldout /tmp/s26/N2 persons_N2
squad /tmp/s26/N2 v1.1 persons_N2
echo "== done $(date -u +%T)"
