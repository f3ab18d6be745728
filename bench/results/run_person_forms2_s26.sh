# Session 26, arm N2 (bench/results/person_forms_rule_s26.txt, addendum 1): every member's form (worktree
# /tmp/s26/N2), run after run_leading_word_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/N2 persons_N2
echo "== done $(date -u +%T)"
