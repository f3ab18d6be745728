# Session 24, third driver (rule addendum 3 in bench/results/places_rule_s24.txt): a confirmation of
# arms D and E on a mini archive built from the first 300 dev-train questions, which this session had
# not read, against the session-start tree. Trees as in run_places2_s24.sh.
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
M=$MINI/mini22
mkdir -p "$M"
if [ ! -d "$M/index" ]; then
  echo "== build mini22 $(date -u +%T)"
  $PY -m bench.mini_archive --split dev-train --first 300 --size 2000 --out "$M/articles.jsonl"
  sha256sum "$M/articles.jsonl"
  "$(dirname "$PY")/qa" index build "$M/articles.jsonl" --index "$M/index" -q
fi
for tree in base D E; do mini_news /tmp/s24/$tree mini22 dev-train "places_$tree"; done
echo "== done $(date -u +%T)"
