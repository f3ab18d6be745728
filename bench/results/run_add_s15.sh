#!/usr/bin/env bash
# index add of the 500 held-out articles on the full archive, before (6af753f) and after (the tree at /tmp/s15new: 7e526d0, then rerun at the arrays commit)
# keeping passage tokens; each run first removes them (timed apart), then adds them.
set -u
export HF_HUB_OFFLINE=1
M=/work/main; PY=$M/.venv/bin/python; O=$M/bench/out/s15
A=$M/../shared/data/realtimeqa/articles-2022-2024.jsonl.gz; I=$M/bench/out/rtqa-index
for tag in old new; do
  echo "== $tag $(date -u +%T)"
  (cd /tmp/s15$tag && $PY -m bench.build --articles "$A" --index "$I" --add-only --out "$O/build_add2_$tag.json" > "$O/build_add2_$tag.log" 2>&1)
  tail -1 "$O/build_add2_$tag.log" | cut -c1-600
done
echo "== done $(date -u +%T)"
