# Session 24, sixth driver (rule addendum 6 in bench/results/places_rule_s24.txt): arm H on the three mini
# archives and SQuAD; main's runs are those of run_places5_s24.sh (tag places5_M).
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
mini_news /tmp/s24/H mini21 dev-tune places6_H
mini_news /tmp/s24/H mini21t test places6_H
mini_news /tmp/s24/H mini22 dev-train places6_H
for data in v1.1 v2.0; do squad /tmp/s24/H "$data" places6_H; done
echo "== done $(date -u +%T)"
