# Session 21: the reader without torch on its ONNX path (f0b9ffd) against the tree before it (a58118b).
# 1. bench.cli_start: a one-shot `qa ask` on the seed index, both trees round-robin (warm caches).
# 2. bench.eval_squad on the first 1,500 questions of SQuAD v1.1 dev half A from each tree: the
#    predictions must be identical (same windows, same arithmetic), not merely the same F1.
# Run from the repository root with the base tree checked out at /tmp/s21/base.
O=$PWD/bench/out/s21
source bench/results/session_runs.sh
export QA_DATA_DIR=/tmp/s21/data XDG_CACHE_HOME=/tmp/s21/xdg
echo "== cli_start $(date -u +%T)"
$PY -m bench.cli_start --index /tmp/s21/data/index --trees /tmp/s21/base . --runs 5 \
  --ask "How many prisoners escaped?" --out bench/results/cli_start_s21.json 2>/dev/null | tail -1
for tree in /tmp/s21/base .; do
  tag=$(basename "$(cd $tree && pwd)")
  echo "== squad $tag $(date -u +%T)"
  (cd "$tree" && $PY -m bench.eval_squad --reader learned --data "$S/dev-v1.1-a.json.gz" --limit 1500 \
    --out "$O/squad_$tag.json" 2>/dev/null | tail -1)
done
cmp "$O/squad_base.json" "$O/squad_main.json" && echo "predictions identical"
echo "== done $(date -u +%T)"
# 3. (added after 1-2) both trees again with `qa serve` until /healthz answers, 7 rounds.
echo "== cli_start --serve $(date -u +%T)"
$PY -m bench.cli_start --index /tmp/s21/data/index --trees /tmp/s21/base . --runs 7 --serve \
  --ask "How many prisoners escaped?" --out bench/results/cli_start_s21_serve.json 2>/dev/null | tail -1
