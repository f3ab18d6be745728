#!/usr/bin/env bash
# Session 19: URL-encoded prose decoded at ingest (f679f53, main). The benchmark index takes the change
# through the update path (`qa index add` of the whole archive: unchanged articles skipped, changed ones
# replaced and re-embedded; then `qa index compact`), and news dev-tune and test run once each on it,
# against the span-edge arm on the old index (bench/out/s19/*_edges3*); rule
# bench/results/url_escapes_rule_s19.txt. Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
echo "== index add $(date -u +%T)"
/usr/bin/time -v $PY -m qa index add "$A" --index "$I" 2>&1 | tail -40
echo "== index compact $(date -u +%T)"
$PY -m qa index compact --index "$I" 2>&1 | tail -5
news "$PWD" dev-tune escapes
news "$PWD" test escapes
echo "== done $(date -u +%T)"
