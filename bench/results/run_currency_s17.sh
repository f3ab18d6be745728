#!/usr/bin/env bash
# Session 17: the currency-quantity fix (af0dabd at /tmp/s17cur) against main as shipped
# (763c245 at /tmp/s17base), rule bench/results/currency_quantity_rule_s17.txt. With "test" as $1,
# the test half only. Run from the repository root of main; nothing else running.
set -u
O=$PWD/bench/out/s17
. bench/results/session_runs.sh
if [ "${1:-}" = test ]; then
  news /tmp/s17base test base; news /tmp/s17cur test cur
else
  news /tmp/s17base dev-tune base; news /tmp/s17cur dev-tune cur
  squad /tmp/s17base v1.1 base; squad /tmp/s17cur v1.1 cur
fi
echo "== done $(date -u +%T)"
