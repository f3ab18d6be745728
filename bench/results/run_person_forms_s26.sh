# Session 26, arm N (bench/results/person_forms_rule_s26.txt): forms of one person's name (worktree /tmp/s26/N)
# against main (worktree /tmp/s26/main, 4800743) on the four mini archives and SQuAD v1.1 dev half A.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
for tree in N main; do
  mini_news /tmp/s26/$tree mini21 dev-tune persons_$tree
  mini_news /tmp/s26/$tree mini22 dev-train persons_$tree
  mini_news /tmp/s26/$tree mini21t test persons_$tree
  heldout /tmp/s26/$tree persons_$tree
done
for tree in N main; do squad /tmp/s26/$tree v1.1 persons_$tree; done
echo "== done $(date -u +%T)"
