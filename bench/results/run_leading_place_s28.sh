#!/usr/bin/env bash
# NEVER RUN: the arm was withdrawn before its runs (see its rule's verdict); kept as the record of the plan.
# Session 28, arm L (rule: leading_place_rule_s28.txt): main's learned runs (a worktree at the rule's
# parent code) first, then L's learned runs, then L's rule-based runs (main's rule-based runs are arm
# P's driver's, same code), in one driver. Run from the repository root.
set -u
O=$PWD/bench/out/s28
source bench/results/session_runs.sh
arm_runs /tmp/s28/main main
arm_runs /tmp/s28/l L
READER=rules
arm_runs /tmp/s28/l L_rules
echo "== done $(date -u +%T)"
