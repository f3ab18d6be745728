# Session 21, after run_tokenizers_s21.sh: the same check on news passages. The tree before the tokenizers
# change (a58118b, /tmp/s21/base) on the quoted-titles workload; its predictions must equal those of the
# quoted-titles "before" tree (87d5715: the tokenizers change, nothing else that reads news differently).
O=$PWD/bench/out/s21
source bench/results/session_runs.sh
M=$PWD/bench/out/mini21
echo "== news a58118b $(date -u +%T)"
(cd /tmp/s21/base && $PY -m bench.eval_news --articles "$M/articles.jsonl" --questions "$Q" --index "$M/index" \
  --reader learned --question-date --split dev-tune --limit 300 --out "$O/tok_news_a58118b.jsonl" 2>/dev/null | tail -1)
python3 - "$O/tok_news_a58118b.jsonl" "$O/titles_news_base.jsonl" <<'PY'
import json, sys
a, b = ([json.loads(line) for line in open(p)] for p in sys.argv[1:3])
strip = lambda rows: [{k: v for k, v in r.items() if k != "ms"} for r in rows]
print("questions", len(a), "identical answers, quotes, scores and citations:", strip(a) == strip(b))
PY
echo "== done $(date -u +%T)"
