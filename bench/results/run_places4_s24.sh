# Session 24, fourth driver (rule addendum 4 in bench/results/places_rule_s24.txt): arm F (73d7871) on the
# three mini archives and SQuAD; the session-start tree's runs are those of the drivers before.
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
mini_news /tmp/s24/F mini21 dev-tune places_F
mini_news /tmp/s24/F mini21t test places_F
mini_news /tmp/s24/F mini22 dev-train places_F
for data in v1.1 v2.0; do squad /tmp/s24/F "$data" places_F; done
echo "== done $(date -u +%T)"
