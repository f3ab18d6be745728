#!/usr/bin/env bash
# NEVER RUN: the arm was withdrawn before its runs (see its rule's verdict); kept as the record of the plan.
# Session 28, arm L2 (rule: possessive_place_rule_s28.txt): L2's learned runs, then its rule-based runs;
# L's own runs, its baseline, come from run_leading_place_s28.sh (same code but this change). Run from
# the repository root.
set -u
O=$PWD/bench/out/s28
source bench/results/session_runs.sh
arm_runs /tmp/s28/l2 L2
READER=rules
arm_runs /tmp/s28/l2 L2_rules
echo "== done $(date -u +%T)"
