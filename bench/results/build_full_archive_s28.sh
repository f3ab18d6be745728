#!/usr/bin/env bash
# Session 28: builds the full-archive benchmark index (bench/out/rtqa-index, all 19,249 RealTimeQA
# articles, as bench.build's build plus its add of the held-out 500 leaves it) in slices of 1,500
# articles, one `qa index build` then `qa index add` per slice, so that the work survives the end of a
# session: each slice is published atomically, a finished slice leaves a marker, and rerunning this
# script goes on from the first slice without one (a slice cut off midway is redone; articles it had
# already embedded are not, since `add` re-embeds only new or changed articles). On an AVX2-only CPU
# (fp32, ~19 passages/s) the whole archive takes about 3 hours. Run from the repository root.
set -eu
export HF_HUB_OFFLINE=1
ARCHIVE=$PWD/../shared/data/realtimeqa/articles-2022-2024.jsonl.gz
INDEX=$PWD/bench/out/rtqa-index
SLICES=$PWD/bench/out/rtqa-slices
SIZE=1500
mkdir -p "$SLICES"
if [ ! -f "$SLICES/split.done" ]; then
  zcat "$ARCHIVE" | split -d -a 2 -l "$SIZE" --additional-suffix=.jsonl - "$SLICES/slice_"
  touch "$SLICES/split.done"
fi
for slice in "$SLICES"/slice_*.jsonl; do
  [ -f "$slice.done" ] && continue
  echo "== $(basename "$slice") $(date -u +%T)"
  if [ -f "$INDEX/CURRENT" ]; then
    .venv/bin/qa index add --index "$INDEX" "$slice"
  else
    .venv/bin/qa index build --index "$INDEX" "$slice"
  fi
  touch "$slice.done"
done
echo "== done $(date -u +%T)"
.venv/bin/qa index info --index "$INDEX"
