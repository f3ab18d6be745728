# Session 24, eighth driver (rule addendum 7 in bench/results/places_rule_s24.txt): arm I on the three mini
# archives and SQuAD; main's runs are those of run_places7_s24.sh (tag places7_final).
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
mini_news /tmp/s24/I mini21 dev-tune places8_I
mini_news /tmp/s24/I mini21t test places8_I
mini_news /tmp/s24/I mini22 dev-train places8_I
for data in v1.1 v2.0; do squad /tmp/s24/I "$data" places8_I; done
echo "== done $(date -u +%T)"
