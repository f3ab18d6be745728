#!/usr/bin/env bash
# Session 19: puts the benchmark index back to what the shipped code builds, after the URL-escape
# decoding was reverted (its bar failed): `qa index add` of the archive with main's code replaces the
# 174 decoded articles with their text as published, then `qa index compact`. The content is then the
# same as before run_escapes_s19.sh, but the dense graph is rebuilt again, so news dev-tune and test,
# run once each with the same query code as the span-edge arm (bench/out/s19/*_edges3*), measure what
# an index rebuild alone moves. Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
echo "== index add $(date -u +%T)"
$PY -m qa index add "$A" --index "$I" 2>&1 | tail -3
echo "== index compact $(date -u +%T)"
$PY -m qa index compact --index "$I" 2>&1 | tail -2
news "$PWD" dev-tune restored
news "$PWD" test restored
echo "== done $(date -u +%T)"
