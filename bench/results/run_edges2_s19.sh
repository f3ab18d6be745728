#!/usr/bin/env bash
# Session 19: the amended span edges (dot + a reader span's own dateline credit; main at /tmp/s19edge) on
# news dev-tune and SQuAD v1.1, against the same bar (bench/results/span_edges_rule_s19.txt, amendment).
# The first arm's files (81b899a) are kept as *_edges*; these are *_edges2*. Nothing else running.
set -u
O=$PWD/bench/out/s19
. bench/results/session_runs.sh
news /tmp/s19edge dev-tune edges2
squad /tmp/s19edge v1.1 edges2
echo "== done $(date -u +%T)"
