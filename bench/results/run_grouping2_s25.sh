# Session 25, arm P2 (grouping rule addendum 1; worktree /tmp/s25/P2) on the dev mini archives and SQuAD dev
# half A; main's runs are run_grouping_s25.sh's (tree fc45cc6).
O=$PWD/bench/out/s25
source bench/results/session_runs.sh
mini_news /tmp/s25/P2 mini21 dev-tune grouping2_P2
mini_news /tmp/s25/P2 mini22 dev-train grouping2_P2
squad /tmp/s25/P2 v1.1 grouping2_P2
squad /tmp/s25/P2 v2.0 grouping2_P2
echo "== done $(date -u +%T)"
