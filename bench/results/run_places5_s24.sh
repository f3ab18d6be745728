# Session 24, fifth driver (rule addendum 5 in bench/results/places_rule_s24.txt): main at 71e2e1b
# (arm F adopted, with the display mend) and arm G, each on the three mini archives and SQuAD.
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
for arm in M G; do
  mini_news /tmp/s24/$arm mini21 dev-tune places5_$arm
  mini_news /tmp/s24/$arm mini21t test places5_$arm
  mini_news /tmp/s24/$arm mini22 dev-train places5_$arm
done
for data in v1.1 v2.0; do for arm in M G; do squad /tmp/s24/$arm "$data" places5_$arm; done; done
echo "== done $(date -u +%T)"
