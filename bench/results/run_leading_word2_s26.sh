# Session 26, arm E2 (bench/results/leading_word_rule_s26.txt, addendum 1): the word repeats the question (worktree
# /tmp/s26/E2), run after run_place_led2_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/E2 leading_word_E2
echo "== done $(date -u +%T)"
