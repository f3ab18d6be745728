# Session 24: place-level answer typing (rule: bench/results/places_rule_s24.txt).
# Trees (git worktrees): /tmp/s24/base = f6940d3 (session start), /tmp/s24/A = 99eb613 (typed places),
# /tmp/s24/B = d08d2cf (A plus country aliases grouped), /tmp/s24/C = e1c3c0c (B plus cities).
# One job at a time: the machine has 2 cores.
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
for tree in base A B C; do mini_news /tmp/s24/$tree mini21 dev-tune "places_$tree"; done
for tree in base A B C; do mini_news /tmp/s24/$tree mini21t test "places_$tree"; done
for data in v1.1 v2.0; do
  for tree in base A B C; do squad /tmp/s24/$tree "$data" "places_$tree"; done
done
echo "== done $(date -u +%T)"
