#!/usr/bin/env bash
# Session 28, arm P2 (amendment 1 of rules_date_preposition_rule_s28.txt): P2's rule-based runs; main's
# are run_rules_date_s28.sh's (same code). Run from the repository root.
set -u
O=$PWD/bench/out/s28
READER=rules
source bench/results/session_runs.sh
arm_runs /tmp/s28/p2 P2_rules
squad /tmp/s28/p2 v2.0 P2_rules
echo "== done $(date -u +%T)"
