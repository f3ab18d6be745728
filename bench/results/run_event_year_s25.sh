# Session 25, arm Y (bench/results/event_year_rule_s25.txt): a year naming an event as a time window (worktree
# /tmp/s25/Y) against main, whose runs are run_grouping_s25.sh's (tree fc45cc6, same qa/ as Y's base).
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
mini_news /tmp/s25/Y mini21 dev-tune event_year_Y
mini_news /tmp/s25/Y mini22 dev-train event_year_Y
squad /tmp/s25/Y v1.1 event_year_Y
echo "== done $(date -u +%T)"
