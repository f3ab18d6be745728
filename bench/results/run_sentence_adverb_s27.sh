# Session 27, arm S (bench/results/sentence_adverb_rule_s27.txt): sentence-opening adverbs are no part of a
# name. S is worktree /tmp/s27/arm-s (branch arm-s-s27); it is compared with main's runs (worktree
# /tmp/s27/main, c0dbc6a) in run_date_preposition_s27.sh, run just before it. Run from the repository root.
O=$PWD/bench/out/s27
source bench/results/session_runs.sh
tree=/tmp/s27/arm-s
arm_runs $tree adverb_S
echo "== done $(date -u +%T)"
