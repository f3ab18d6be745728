# Session 25, arm H2 (bench/results/hyphen_rule_s25.txt): hyphenated surnames (worktree /tmp/s25/H2) against main
# with arm Y (worktree /tmp/s25/main25) on the dev mini archives and SQuAD v1.1 dev half A.
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
for tree in H2 main25; do
  mini_news /tmp/s25/$tree mini21 dev-tune hyphen_$tree
  mini_news /tmp/s25/$tree mini22 dev-train hyphen_$tree
done
for tree in H2 main25; do squad /tmp/s25/$tree v1.1 hyphen_$tree; done
echo "== done $(date -u +%T)"
