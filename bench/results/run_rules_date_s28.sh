#!/usr/bin/env bash
# Session 28, arm P (rule: rules_date_preposition_rule_s28.txt): the rule-based picker's runs, main
# (a worktree at the rule's commit) first, then P, in one driver. Run from the repository root.
set -u
O=$PWD/bench/out/s28
READER=rules
source bench/results/session_runs.sh
for tree_tag in "/tmp/s28/main main_rules" "/tmp/s28/p P_rules"; do
  set -- $tree_tag
  arm_runs "$1" "$2"
  squad "$1" v2.0 "$2"
done
echo "== done $(date -u +%T)"
