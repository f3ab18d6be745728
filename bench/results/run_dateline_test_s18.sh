#!/usr/bin/env bash
# Session 18: the test half, once, with the dateline-credit trim (/tmp/s18date), after its dev-tune and
# SQuAD bar held (bench/results/dateline_rule_s18.txt). Nothing else running.
set -u
O=$PWD/bench/out/s18
. bench/results/session_runs.sh
news /tmp/s18date test date
echo "== done $(date -u +%T)"
