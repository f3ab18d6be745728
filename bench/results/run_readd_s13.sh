#!/usr/bin/env bash
# re-adding the 500 held-out (already indexed) articles: old code (rebuilds BM25) vs new (shares it), turn about
set -u
export HF_HUB_OFFLINE=1
PY=/work/main/.venv/bin/python
A=/work/shared/data/realtimeqa/articles-2022-2024.jsonl.gz
I=/work/main/bench/out/rtqa-index
for round in 1 2; do
  for tree in /tmp/base /work/main; do
    tag=$(basename $tree)
    echo "== readd $tag round $round $(date -u +%T)"
    (cd $tree && $PY -m bench.build --articles $A --index $I --hold-out 500 --add-only --readd \
      --out /work/main/bench/out/s13/readd_${tag}_$round.json 2>/dev/null | tail -c 600)
    echo
  done
done
