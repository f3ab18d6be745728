# Session 24, ninth driver (rule addendum 8 in bench/results/places_rule_s24.txt): arms J and IJ on the three
# mini archives and SQuAD; main's runs are those of run_places7_s24.sh (tag places7_final).
O=$PWD/bench/out/s24
source bench/results/session_runs.sh
for arm in J IJ; do
  mini_news /tmp/s24/$arm mini21 dev-tune places9_$arm
  mini_news /tmp/s24/$arm mini21t test places9_$arm
  mini_news /tmp/s24/$arm mini22 dev-train places9_$arm
done
for data in v1.1 v2.0; do for arm in J IJ; do squad /tmp/s24/$arm "$data" places9_$arm; done; done
echo "== done $(date -u +%T)"
