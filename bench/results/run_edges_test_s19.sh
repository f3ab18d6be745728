#!/usr/bin/env bash
# Session 19: clean span edges (81b899a, then the amended HEAD at /tmp/s19edge) on the news test half, once, after its dev-tune
# and SQuAD bar held (bench/results/span_edges_rule_s19.txt). Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
news /tmp/s19edge test edges2
echo "== done $(date -u +%T)"
