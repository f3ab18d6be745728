#!/usr/bin/env bash
# Session 18: the dateline-credit trim (16db228 at /tmp/s18date, on top of the time-expression typing)
# on news dev-tune and SQuAD v1.1, compared with the time-expression arm (bench/out/s18/*_time*, from
# run_time_s18.sh); rule bench/results/dateline_rule_s18.txt. Then the test half once if the bar holds
# (run_dateline_test_s18.sh). Nothing else running.
set -u
O=$PWD/bench/out/s18
. bench/results/session_runs.sh
news /tmp/s18date dev-tune date
squad /tmp/s18date v1.1 date
echo "== done $(date -u +%T)"
