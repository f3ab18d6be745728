# Session 26, arm L (bench/results/place_led_rule_s26.txt): a span led by a place of the asked level (worktree
# /tmp/s26/L), run after run_person_forms_s26.sh, whose main runs (worktree /tmp/s26/main) it is compared with.
O=$PWD/bench/out/s26
source bench/results/session_runs.sh
arm_runs /tmp/s26/L place_led_L
echo "== done $(date -u +%T)"
