# Session 26, arm L3 (bench/results/place_led_rule_s26.txt, addendum 3): the place leads a name (worktree
# /tmp/s26/L3), run after run_leading_word2_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/L3 place_led_L3
echo "== done $(date -u +%T)"
