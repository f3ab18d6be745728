# Session 26, arm E (bench/results/leading_word_rule_s26.txt): one lowercase word before a name (worktree
# /tmp/s26/E), run after run_place_led_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/E leading_word_E
echo "== done $(date -u +%T)"
