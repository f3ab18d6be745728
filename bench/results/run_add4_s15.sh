#!/usr/bin/env bash
# Session 15, after BM25's matrix is computed with array operations (/tmp/s15new at 31f493a):
# 1. index add of the 500 held-out articles, old code (6af753f at /tmp/s15old) then new
# 2. a 20-article add profiled with py-spy (new code)
set -u
export HF_HUB_OFFLINE=1
M=/work/main; PY=$M/.venv/bin/python; O=$M/bench/out/s15
A=$M/../shared/data/realtimeqa/articles-2022-2024.jsonl.gz; I=$M/bench/out/rtqa-index



for tag in old new; do
  echo "== add $tag $(date -u +%T)"
  (cd /tmp/s15$tag && $PY -m bench.build --articles "$A" --index "$I" --add-only --out "$O/build_add4_$tag.json" > "$O/build_add4_$tag.log" 2>&1)
  tail -1 "$O/build_add4_$tag.log" | cut -c1-600
done
echo "== add20 profile $(date -u +%T)"
head -20 $M/bench/out/held-out.jsonl > "$O/add20.jsonl"
IDS=$(python3 -c "import json,sys;print(' '.join(json.loads(l)['doc_id'] for l in open(sys.argv[1])))" "$O/add20.jsonl")
(cd /tmp/s15new && $PY -m qa index remove $IDS --index "$I" > /dev/null 2>&1)
(cd /tmp/s15new && /usr/bin/time -v $PY -m bench.profile --out "$O/add20-profile-new4.txt" -- $PY -m qa index add "$O/add20.jsonl" --index "$I" > "$O/add20-new4.log" 2>&1)
grep -E "added:|Elapsed|finish|from_tokens|lucene|encode \(index" "$O/add20-new4.log" | head -12
echo "== done $(date -u +%T)"
