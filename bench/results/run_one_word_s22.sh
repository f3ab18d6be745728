# Session 22: a quote with one word beside the answer is bare too (rule: bench/results/one_word_rule_s22.txt).
# Trees: /tmp/s22/obase (ba9e343, main before the change) and /tmp/s22/one (2fd8435), git worktrees.
O=$PWD/bench/out/s22
source bench/results/session_runs.sh
for tag in obase one; do
  mini_news /tmp/s22/$tag mini21 dev-tune "$tag"
  mini_news /tmp/s22/$tag mini21t test "$tag"
done
for tag in obase one; do
  echo "== squad $tag $(date -u +%T)"
  (cd /tmp/s22/$tag && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" \
    --out "$O/squad_$tag.json" 2>/dev/null | tail -1 > "$O/squad_$tag.summary.json")
done
echo "== done $(date -u +%T)"
