#!/usr/bin/env bash
# Session 18: the time-expression typing (at /tmp/s18time) against main before it (1b856ef at
# /tmp/s18base) on news dev-tune and SQuAD v1.1 (rule bench/results/time_expression_rule_s18.txt).
# The test half runs separately, once, if the bar holds. Nothing else running.
set -u
O=$PWD/bench/out/s18
. bench/results/session_runs.sh
news /tmp/s18base dev-tune base
news /tmp/s18time dev-tune time
squad /tmp/s18base v1.1 base
squad /tmp/s18time v1.1 time
echo "== done $(date -u +%T)"
# The test half ran afterwards, from run_time_test_s18.sh.
