#!/usr/bin/env bash
# Session 18: the test half, once, with the time-expression typing (/tmp/s18time), after its
# dev-tune and SQuAD bar held (bench/results/time_expression_rule_s18.txt). Nothing else running.
set -u
O=$PWD/bench/out/s18
. bench/results/session_runs.sh
news /tmp/s18time test time
echo "== done $(date -u +%T)"
