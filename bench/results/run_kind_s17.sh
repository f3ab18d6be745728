#!/usr/bin/env bash
# Session 17: the question-kind fix (86e3a47 at /tmp/s17kind, on top of the currency fix) on news
# dev-tune and SQuAD v1.1 (compared with the currency arm, bench/out/s17/*_cur*, from
# run_currency_s17.sh; rule bench/results/question_kind_rule_s17.txt), then the test half for main
# as shipped (763c245 at /tmp/s17base) and for both fixes together. Nothing else running.
set -u
O=$PWD/bench/out/s17
. bench/results/session_runs.sh
news /tmp/s17kind dev-tune kind
squad /tmp/s17kind v1.1 kind
news /tmp/s17base test base
news /tmp/s17kind test kind
echo "== done $(date -u +%T)"
