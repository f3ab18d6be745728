#!/usr/bin/env bash
# Session 16: removing 20 articles and correcting 20 others on the full archive,
# old code (c1244ec at /tmp/s16old, with bench/update.py copied in) against hidden rows
# (/tmp/s16new at 8748446); two pairs, in alternating order, nothing else running.
set -u
export HF_HUB_OFFLINE=1
M=/work/main; PY=$M/.venv/bin/python; O=$M/bench/out/s16; I=$M/bench/out/rtqa-index
for tag in old new new old; do
  n=$(ls "$O"/update_${tag}_run*.json 2>/dev/null | wc -l); n=$((n + 1))
  echo "== $tag run$n $(date -u +%T)"
  (cd /tmp/s16$tag && /usr/bin/time -v $PY -m bench.update --index "$I" --articles 20 --out "$O/update_${tag}_run$n.json" > "$O/update_${tag}_run$n.log" 2>&1)
  tail -c 700 "$O/update_${tag}_run$n.json"; grep -E "Elapsed|Maximum resident" "$O/update_${tag}_run$n.log"
done
echo "== done $(date -u +%T)"
