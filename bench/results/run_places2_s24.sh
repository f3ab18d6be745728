# Session 24, second driver (rule addendum 2 in bench/results/places_rule_s24.txt): arms D (c7354db,
# wrong-level spans dropped) and E (78bfa01, and spans across a sentence end) against the session-start
# tree (f6940d3), as git worktrees under /tmp/s24. run_places_s24.sh ran base, A, B and C on the mini
# archives; A-C failed (b) on dev-tune, so its SQuAD runs were stopped and SQuAD runs here instead.
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
for tree in D E; do mini_news /tmp/s24/$tree mini21 dev-tune "places_$tree"; done
for tree in D E; do mini_news /tmp/s24/$tree mini21t test "places_$tree"; done
for data in v1.1 v2.0; do
  for tree in base D E; do squad /tmp/s24/$tree "$data" "places_$tree"; done
done
echo "== done $(date -u +%T)"
