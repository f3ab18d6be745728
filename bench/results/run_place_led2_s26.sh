# Session 26, arm L2 (bench/results/place_led_rule_s26.txt, addenda 1-2): the cut ends at the place (worktree
# /tmp/s26/L2), run after run_person_forms2_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/L2 place_led_L2
echo "== done $(date -u +%T)"
