# Session 22: answers whose quote says nothing beyond the answer (rule: bench/results/bare_quotes_rule_s22.txt).
# Trees: /tmp/s22/base (9dcad21, main before the change) and /tmp/s22/after (119bd5a), git worktrees.
O=$PWD/bench/out/s22
source bench/results/session_runs.sh
for tag in base after; do
  mini_news /tmp/s22/$tag mini21 dev-tune "bare_$tag"
  mini_news /tmp/s22/$tag mini21t test "bare_$tag"
done
for tag in base after; do
  echo "== squad $tag $(date -u +%T)"
  (cd /tmp/s22/$tag && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" \
    --out "$O/bare_squad_$tag.json" 2>/dev/null | tail -1 > "$O/bare_squad_$tag.summary.json")
done
echo "== done $(date -u +%T)"
