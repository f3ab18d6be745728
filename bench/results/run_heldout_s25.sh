# Session 25 (bench/results/heldout_rule_s25.txt): sessions 21-24's answer changes on the test split's questions
# 300-899 over the mini archive bench/out/mini25t, one run per tree: session 20's end (a58118b), 21's (019b1fa),
# 22's (0c91707; 23 changed no answer) and main (fc45cc6). Each tree is a git worktree in /tmp/s25/<commit>.
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
for tree in a58118b 019b1fa 0c91707 fc45cc6; do
  echo "== news heldout $tree $(date -u +%T)"
  (cd /tmp/s25/$tree && $PY -m bench.eval_news --articles "$MINI/mini25t/articles.jsonl" \
    --questions "$MINI/mini25t/questions.jsonl" --index "$MINI/mini25t/index" --reader learned --question-date \
    --split test --limit 600 --out "$O/news_heldout_$tree.jsonl" 2>/dev/null | tail -1 > "$O/news_heldout_$tree.json")
done
echo "== done $(date -u +%T)"
