# Session 25, arm P (bench/results/grouping_rule_s25.txt): spelling variants grouped (worktree /tmp/s25/P) against
# main (worktree /tmp/s25/fc45cc6) on the dev mini archives and SQuAD dev half A.
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
for tree in P fc45cc6; do
  mini_news /tmp/s25/$tree mini21 dev-tune grouping_$tree
  mini_news /tmp/s25/$tree mini22 dev-train grouping_$tree
done
for data in v1.1 v2.0; do for tree in P fc45cc6; do squad /tmp/s25/$tree "$data" grouping_$tree; done; done
echo "== done $(date -u +%T)"
