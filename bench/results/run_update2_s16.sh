#!/usr/bin/env bash
# Session 16, second round: removing 20 articles and correcting 20 others on the full archive,
# three codes in one driver, each run twice in mirrored order, nothing else running:
#   old    = c1244ec (rows renumbered, graph rebuilt), bench/update.py copied in, at /tmp/s16old
#   hidden = f1f18ab (hidden rows), at /tmp/s16new
#   link   = 32af692 (hidden rows; unchanged files linked with their digests; select by mask), at /tmp/s16link
set -u
export HF_HUB_OFFLINE=1
M=/work/main; PY=$M/.venv/bin/python; O=$M/bench/out/s16; I=$M/bench/out/rtqa-index
declare -A DIR=([old]=/tmp/s16old [hidden]=/tmp/s16new [link]=/tmp/s16link)
for tag in old hidden link link hidden old; do
  n=$(ls "$O"/update2_${tag}_run*.json 2>/dev/null | wc -l); n=$((n + 1))
  echo "== $tag run$n $(date -u +%T)"
  (cd ${DIR[$tag]} && /usr/bin/time -v $PY -m bench.update --index "$I" --articles 20 --out "$O/update2_${tag}_run$n.json" > "$O/update2_${tag}_run$n.log" 2>&1)
  grep -E "Elapsed|Maximum resident" "$O/update2_${tag}_run$n.log"
done
echo "== done $(date -u +%T)"
